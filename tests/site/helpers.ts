/** Shared bits of the site's unit tests: the course capture, analysed, and live traffic built from plain text. */
import { readdirSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import path from 'node:path';
import { analyzeCapture } from '../../src/lib/protocol/analysis/frames';
import { readCapture } from '../../src/lib/protocol/capture/read';
import { RELAY_PROTOCOL_VERSION, type TrafficEventMessage } from '../../src/lib/relay-protocol/index';
import { ROOT } from '../helpers/process';

export const CAPTURE = path.resolve(ROOT, '../shared/captures/homepage_coffee.pcapng');

export function courseCapture() {
	return analyzeCapture(readCapture(new Uint8Array(readFileSync(CAPTURE))));
}

const ep = (port: number) => ({ address: '127.0.0.1', port });

/** The relay's `traffic` messages for one exchange on one connection. */
export function exchange(conn: number, label: string, clientPort: number, serverPort: number, request: string, response: string, t0 = 1_700_000_000_000_000): TrafficEventMessage[] {
	const msg = (event: TrafficEventMessage['event']): TrafficEventMessage => ({ v: RELAY_PROTOCOL_VERSION, type: 'traffic', event });
	const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
	return [
		msg({ kind: 'open', conn, timeUs: t0, client: ep(clientPort), server: ep(serverPort), label }),
		msg({ kind: 'data', conn, timeUs: t0 + 100, from: 'client', bytes: b64(request), length: Buffer.byteLength(request) }),
		msg({ kind: 'data', conn, timeUs: t0 + 200, from: 'server', bytes: b64(response), length: Buffer.byteLength(response) }),
		msg({ kind: 'end', conn, timeUs: t0 + 300, from: 'server' }),
		msg({ kind: 'end', conn, timeUs: t0 + 400, from: 'client' }),
		msg({ kind: 'close', conn, timeUs: t0 + 500 })
	];
}

export const TEAPOT_REQUEST = 'BREW coffee://ducky HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\nUse-Pot: tea\r\nContent-Length: 5\r\n\r\nstart';
export const TEAPOT_RESPONSE = "HTCPCP/1.1 418 I'm a teapot\r\nServer: CoffeePot\r\nContent-Type: message/coffeepot\r\nContent-Length: 11\r\n\r\nshort stout";

/** A content page's frontmatter as written in content/, so tests follow the content when instructors edit it. */
export function contentFrontmatter(folder: string): Record<string, unknown> {
	const source = readFileSync(path.join(ROOT, 'content', folder, 'index.md'), 'utf8');
	const match = /^---\n([\s\S]*?)\n---/.exec(source);
	if (!match) throw new Error(`content/${folder}/index.md has no frontmatter`);
	return parseYaml(match[1]) as Record<string, unknown>;
}

/** "Task N: title" for a content folder `NN-slug`. */
export function taskTitle(folder: string): string {
	return `Task ${Number(folder.slice(0, 2))}: ${contentFrontmatter(folder).title as string}`;
}

/** The first `<TryIt>` in the content whose path matches, with the task page it sits on. */
export function findTryIt(pathPattern: RegExp): { slug: string; action: string; label: string } {
	for (const folder of readdirSync(path.join(ROOT, 'content')).filter((f) => /^\d\d-/.test(f)).sort()) {
		const source = readFileSync(path.join(ROOT, 'content', folder, 'index.md'), 'utf8');
		for (const m of source.matchAll(/<TryIt\s+action="(\w+)"\s+path="([^"]*)"[^>]*>([^<]+)<\/TryIt>/g)) {
			if (pathPattern.test(m[2])) return { slug: folder.slice(3), action: m[1], label: m[3].trim() };
		}
	}
	throw new Error(`no <TryIt> in content/ has a path matching ${pathPattern}`);
}

/** The slug of the first page whose `panels` include every one given (`inspector` matches `inspector:FILTER`). */
export function taskWithPanels(...wanted: string[]): string {
	for (const folder of readdirSync(path.join(ROOT, 'content')).filter((f) => /^\d\d-/.test(f)).sort()) {
		const panels = (contentFrontmatter(folder).panels ?? []) as string[];
		if (wanted.every((w) => panels.some((p) => p === w || p.startsWith(`${w}:`)))) return folder.slice(3);
	}
	throw new Error(`no page in content/ has the panels ${wanted.join(', ')}`);
}
