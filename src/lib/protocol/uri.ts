/**
 * Coffee URIs (RFC 2324 section 3):
 *
 *   coffee-url = coffee-scheme ":" [ "//" host ] [ "/" pot-designator ] [ "?" additions-list ]
 *
 * The scheme may be any of the 23 coffee schemes, sent percent-encoded
 * (`%E5%92%96%E5%95%A1://ducky`) or as Unicode (`咖啡://ducky`). Schemes and
 * hosts compare case-insensitively (RFC 3986 sections 3.1 and 3.2.2), and so do
 * the hex digits of percent-encodings (RFC 3986 section 2.1). Paths are kept as sent.
 */

import { COFFEE_SCHEMES, type CoffeeScheme } from './constants';

export interface CoffeeUri {
	/** The matching scheme of RFC 2324 section 3. */
	scheme: CoffeeScheme;
	/** The scheme exactly as it appeared in the URI. */
	rawScheme: string;
	/** Lower-cased host, or '' when the URI has no authority. */
	host: string;
	port?: number;
	/** Path segments after the authority, percent-decoded (`/pot-1/darjeeling` gives two). */
	path: string[];
	/** The additions list of the query, split on `&`, `;` and `,`. */
	additions: string[];
}

export type UriResult =
	| { ok: true; uri: CoffeeUri }
	| { ok: false; reason: 'scheme'; rawScheme: string; message: string }
	| { ok: false; reason: 'syntax'; message: string };

function safeDecode(value: string): string | null {
	try {
		return decodeURIComponent(value);
	} catch {
		return null;
	}
}

const byEncoded = new Map<string, CoffeeScheme>();
const byDecoded = new Map<string, CoffeeScheme>();
for (const s of COFFEE_SCHEMES) {
	byEncoded.set(s.encoded.toLowerCase(), s);
	byDecoded.set(s.decoded.toLowerCase(), s);
	for (const alias of s.aliases ?? []) byDecoded.set(alias.toLowerCase(), s);
}

/** Finds the coffee scheme a scheme string names, in either form, or undefined. */
export function findCoffeeScheme(raw: string): CoffeeScheme | undefined {
	const lower = raw.toLowerCase();
	const exact = byEncoded.get(lower);
	if (exact) return exact;
	const decoded = safeDecode(raw);
	return decoded === null ? undefined : byDecoded.get(decoded.toLowerCase());
}

/** True when a request target starts with a scheme (an absolute URI) rather than a path. */
export function hasScheme(target: string): boolean {
	return /^[^/?#:]+:/.test(target);
}

export function parseCoffeeUri(target: string): UriResult {
	const colon = target.indexOf(':');
	if (colon <= 0 || target.startsWith('/')) {
		return { ok: false, reason: 'syntax', message: 'a coffee URI starts with a scheme, such as coffee:' };
	}
	const rawScheme = target.slice(0, colon);
	const scheme = findCoffeeScheme(rawScheme);
	if (!scheme && rawScheme.includes('%') && safeDecode(rawScheme) === null) {
		return { ok: false, reason: 'syntax', message: `the scheme "${rawScheme}" has a broken percent-encoding` };
	}
	if (!scheme) {
		return {
			ok: false,
			reason: 'scheme',
			rawScheme,
			message: `"${rawScheme}" is not one of the coffee schemes of RFC 2324 section 3`
		};
	}
	let rest = target.slice(colon + 1);
	// A fragment (RFC 3986 section 3.5) is never part of the pot's address.
	const hash = rest.indexOf('#');
	if (hash >= 0) rest = rest.slice(0, hash);
	let query = '';
	const q = rest.indexOf('?');
	if (q >= 0) {
		query = rest.slice(q + 1);
		rest = rest.slice(0, q);
	}
	let host = '';
	let port: number | undefined;
	if (rest.startsWith('//')) {
		const slash = rest.indexOf('/', 2);
		const authority = slash >= 0 ? rest.slice(2, slash) : rest.slice(2);
		rest = slash >= 0 ? rest.slice(slash) : '';
		const m = /^([^:@\s]*)(?::(\d{1,5}))?$/.exec(authority);
		if (!m) return { ok: false, reason: 'syntax', message: `"${authority}" is not a host[:port]` };
		const decodedHost = safeDecode(m[1]);
		if (decodedHost === null) return { ok: false, reason: 'syntax', message: 'the host has a broken percent-encoding' };
		host = decodedHost.toLowerCase();
		if (m[2] !== undefined) {
			port = Number(m[2]);
			if (port > 65535) return { ok: false, reason: 'syntax', message: `port ${port} is out of range` };
		}
	}
	const path: string[] = [];
	for (const segment of rest.split('/')) {
		if (segment === '') continue;
		const decoded = safeDecode(segment);
		if (decoded === null) return { ok: false, reason: 'syntax', message: `"${segment}" has a broken percent-encoding` };
		path.push(decoded);
	}
	const additions = query
		.split(/[&;,]/)
		.map((a) => safeDecode(a.replace(/\+/g, ' ')) ?? a)
		.map((a) => a.trim())
		.filter((a) => a.length > 0);
	return { ok: true, uri: { scheme, rawScheme, host, port, path, additions } };
}
