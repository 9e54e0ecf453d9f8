/**
 * Static assets under `/assets/`: read once at start, served with a strong
 * `ETag` (a hash of the bytes), `Last-Modified` (the file's time) and
 * `Cache-Control: no-cache`, so a browser keeps its copy but asks before each
 * use and gets `304 Not Modified` while the file is unchanged.
 */

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Asset {
	name: string;
	body: Buffer;
	contentType: string;
	etag: string;
	/** Whole seconds, as HTTP dates carry them. */
	lastModified: Date;
}

const TYPES: Record<string, string> = {
	'.css': 'text/css; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.svg': 'image/svg+xml; charset=utf-8',
	'.txt': 'text/plain; charset=utf-8',
	'.ico': 'image/x-icon',
	'.png': 'image/png'
};

export const ASSETS_DIR = path.join(import.meta.dirname, 'assets');
export const ASSET_CACHE_CONTROL = 'no-cache';

/** Loads every file of the assets folder; names outside it can never be served. */
export function loadAssets(dir = ASSETS_DIR): Map<string, Asset> {
	const assets = new Map<string, Asset>();
	for (const name of readdirSync(dir)) {
		const file = path.join(dir, name);
		const info = statSync(file);
		if (!info.isFile()) continue;
		const body = readFileSync(file);
		const hash = createHash('sha256').update(body).digest('base64url').slice(0, 22);
		assets.set(name, {
			name,
			body,
			contentType: TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream',
			etag: `"${hash}"`,
			lastModified: new Date(Math.floor(info.mtimeMs / 1000) * 1000)
		});
	}
	return assets;
}

/** Entity tags listed in an `If-None-Match` value, or '*' (RFC 9110 section 13.1.2). */
function listedTags(value: string): string[] | '*' {
	if (value.trim() === '*') return '*';
	return value.match(/(?:W\/)?"[^"]*"/g) ?? [];
}

/** Weak comparison (RFC 9110 section 8.8.3.2): the opaque tags match, `W/` ignored. */
function weakMatch(a: string, b: string): boolean {
	return a.replace(/^W\//, '') === b.replace(/^W\//, '');
}

/**
 * True when a GET or HEAD for `asset` should be answered 304, following the
 * order of RFC 9110 section 13.2.2: `If-None-Match` decides when present and
 * `If-Modified-Since` is then ignored; an unparsable date is ignored.
 */
export function notModified(asset: Asset, ifNoneMatch: string | undefined, ifModifiedSince: string | undefined): boolean {
	if (ifNoneMatch !== undefined) {
		const tags = listedTags(ifNoneMatch);
		return tags === '*' || tags.some((t) => weakMatch(t, asset.etag));
	}
	if (ifModifiedSince !== undefined) {
		const since = Date.parse(ifModifiedSince);
		if (Number.isNaN(since)) return false;
		return asset.lastModified.getTime() <= since;
	}
	return false;
}
