/**
 * Headers for choosing, caching and validating content: negotiation
 * (RFC 9110 §12), conditional requests (RFC 9110 §13), ranges (RFC 9110 §14),
 * caching (RFC 9111 §5) and authentication (RFC 9110 §11).
 */

import { header, type HeaderContext, type HeaderEntry } from './types';
import { describeDate, describeSeconds, describeWeighted, joinWords, splitList } from './values';

function describeAccept(value: string): string {
	const text = describeWeighted(value, 'media types');
	return value.includes('*/*') ? `${text}; */* means anything else is acceptable as a last resort` : text;
}

const ENCODING_NAMES: Readonly<Record<string, string>> = { gzip: 'gzip', deflate: 'deflate', br: 'Brotli (br)', zstd: 'Zstandard (zstd)', identity: 'no compression', compress: 'compress' };

function describeAcceptEncoding(value: string): string {
	const items = splitList(value).map((i) => i.split(';')[0].trim().toLowerCase());
	return `the browser accepts ${joinWords(items.map((i) => ENCODING_NAMES[i] ?? i))}-compressed bodies; the server may compress and must then say so in Content-Encoding`;
}

function describeCacheControl(value: string, ctx: HeaderContext): string {
	const parts: string[] = [];
	for (const d of splitList(value)) {
		const [name, arg] = d.split('=').map((x) => x.trim());
		const n = Number(arg);
		switch (name.toLowerCase()) {
			case 'no-cache':
				parts.push(ctx.kind === 'response' ? 'a cache may keep a copy but must check with the server before each reuse (so the browser revalidates and may get 304)' : 'the client wants a fresh answer, not an unchecked cached one');
				break;
			case 'no-store': parts.push('nothing may be stored at all'); break;
			case 'max-age': parts.push(ctx.kind === 'response' ? `fresh for ${describeSeconds(n)}` : `the client accepts a cached answer at most ${describeSeconds(n)} old${n === 0 ? ', i.e. check with the server first (a browser reload sends this)' : ''}`); break;
			case 's-maxage': parts.push(`shared caches may keep it ${describeSeconds(n)}`); break;
			case 'public': parts.push('any cache, shared ones included, may store it'); break;
			case 'private': parts.push('only the user\'s own browser may store it'); break;
			case 'must-revalidate': parts.push('once stale it must be checked before reuse'); break;
			case 'immutable': parts.push('it will never change while fresh, so even a reload need not check'); break;
			case 'no-transform': parts.push('intermediaries must not alter the body'); break;
			case 'stale-while-revalidate': parts.push(`a stale copy may be used for ${describeSeconds(n)} while a fresh one is fetched`); break;
			case 'only-if-cached': parts.push('answer only from a cache'); break;
			case 'max-stale': parts.push('the client accepts stale answers'); break;
			default: parts.push(`${d} (an extension directive)`);
		}
	}
	return parts.length ? joinWords(parts) : 'no directives';
}

function describeEtag(value: string): string {
	const v = value.trim();
	const weak = v.startsWith('W/');
	const tag = weak ? v.slice(2) : v;
	const werkzeug = /^"(\d+\.\d+)-(\d+)-(\d+)"$/.exec(tag);
	let text = `this version is tagged ${tag}${weak ? ' (weak: equivalent content, not necessarily byte-identical)' : ''}; next time the browser sends If-None-Match: ${tag} and gets 304 with no body if nothing changed`;
	if (werkzeug) text += `. This tag is built from the file's modification time (${werkzeug[1]} seconds since 1970), its size (${werkzeug[2]} bytes) and a checksum of its name`;
	return text;
}

function describeIfNoneMatch(value: string, ctx: HeaderContext): string {
	if (value.trim() === '*') return 'perform the request only if the resource does not exist yet';
	const tags = splitList(value);
	const verb = ctx.method === 'GET' || ctx.method === 'HEAD' || ctx.method === undefined ? 'the server answers 304 Not Modified, with no body, if the current version still has that tag' : 'the request is carried out only if none of these tags match';
	return `the cached copy has tag ${joinWords(tags)}; ${verb}`;
}

function describeRange(value: string): string {
	const m = /^bytes=(.*)$/i.exec(value.trim());
	if (!m) return `ranges in a unit the server may not know: ${value}`;
	return `only bytes ${m[1]} of the resource are wanted`;
}

function authScheme(value: string): string {
	return value.trim().split(/\s+/)[0] ?? '';
}

export const NEGOTIATION_HEADERS: readonly HeaderEntry[] = [
	header('Accept', 'RFC 9110 §12.5.1', 'which media types the client would like in the response', 'A list of types, each optionally weighted with q= from 0 to 1 (1 if absent). A browser asking for a page prefers HTML; asking for a stylesheet it sends text/css. The server picks the best match it has or may answer 406.', (v) => describeAccept(v)),
	header('Accept-Encoding', 'RFC 9110 §12.5.3', 'which compressions the client can undo', 'Lets the server shrink the body with gzip, deflate or Brotli. If it does, it labels the body with Content-Encoding. The original lab\'s web app ignored it and sent plain bodies.', (v) => describeAcceptEncoding(v)),
	header('Accept-Language', 'RFC 9110 §12.5.4', 'the languages the user prefers', 'Language tags from the browser\'s settings, weighted with q=. A multilingual site picks the page language from it.', (v) => describeWeighted(v, 'languages')),
	header('Accept-Charset', 'RFC 9110 §12.5.2', 'which character encodings the client accepts (obsolete)', 'Browsers stopped sending it because everything understands UTF-8 and it only helped fingerprint users.', (v) => describeWeighted(v, 'character encodings')),
	header('Vary', 'RFC 9110 §12.5.5', 'which request headers the response depends on', 'Tells caches that a stored response fits only requests with the same values of these headers, for example Accept-Encoding when the server compresses for some clients only. RFC 9111 §4.1 says how caches match on it.', (v) => (v.trim() === '*' ? 'the response depends on things outside the request headers, so caches cannot reuse it' : `a cached copy fits only requests with the same ${joinWords(splitList(v))}`)),
	header('Cache-Control', 'RFC 9111 §5.2', 'rules for storing and reusing this message in caches', 'Directives such as max-age (how long a copy stays fresh), no-cache (store but check first) and no-store (never store). The lab\'s web app marks its assets no-cache, so a reload revalidates them and gets 304.', describeCacheControl),
	header('Pragma', 'RFC 9111 §5.4', 'the HTTP/1.0 way to say no-cache (obsolete)', 'Pragma: no-cache predates Cache-Control; browsers still send it next to Cache-Control for very old caches.', (v) => (v.trim().toLowerCase() === 'no-cache' ? 'the same as Cache-Control: no-cache, for HTTP/1.0 caches' : `pragma ${v}`)),
	header('Expires', 'RFC 9111 §5.3', 'the date after which the response is stale', 'The older way to set freshness; max-age in Cache-Control wins if both are present. An invalid date such as 0 means already expired.', (v) => (Number.isNaN(Date.parse(v)) ? 'not a valid date, which counts as already expired' : `stale after ${describeDate(v)}`)),
	header('Age', 'RFC 9111 §5.1', 'how long the response has sat in a cache', 'A number of seconds added by caches, so the client can tell how fresh the copy still is.', (v) => `this copy has been in a cache for ${describeSeconds(Number(v))}`),
	header('ETag', 'RFC 9110 §8.8.3', 'a tag that changes whenever the content changes', 'An opaque validator for this version of the resource. The browser stores it with its copy and later asks If-None-Match with it; if the tag is still current, the server answers 304 and saves sending the body again.', (v) => describeEtag(v)),
	header('Last-Modified', 'RFC 9110 §8.8.2', 'when the resource last changed', 'A weaker validator than ETag (only one-second precision). The browser can send it back as If-Modified-Since to ask "has it changed since?".', (v) => `the resource last changed ${describeDate(v)}; the browser may send this back in If-Modified-Since`),
	header('If-None-Match', 'RFC 9110 §13.1.2', 'do this only if the current tag is none of these', 'The browser\'s revalidation question: it holds a copy with some ETag and asks the server to send the body only if the resource has changed. An unchanged resource gives 304 Not Modified, which is how task 6 finds 304 for the stylesheet.', describeIfNoneMatch),
	header('If-Modified-Since', 'RFC 9110 §13.1.3', 'send the body only if it changed after this date', 'The date-based form of revalidation; If-None-Match takes priority when both are present.', (v) => `the browser's copy dates from ${describeDate(v)}; the server answers 304 if it has not changed since`),
	header('If-Match', 'RFC 9110 §13.1.1', 'do this only if the current tag is one of these', 'Protects against lost updates: a PUT with If-Match fails with 412 if someone else changed the resource meanwhile.', (v) => `proceed only if the current tag is ${joinWords(splitList(v))}`),
	header('If-Unmodified-Since', 'RFC 9110 §13.1.4', 'do this only if unchanged since this date', 'The date-based form of If-Match.', (v) => `proceed only if unchanged since ${describeDate(v)}`),
	header('If-Range', 'RFC 9110 §13.1.5', 'send the range only if the resource is unchanged, else all of it', 'Used to resume a download: if the file changed, the partial copy is useless, so the server sends everything.', (v) => `the range applies only if the resource still matches ${v}`),
	header('Range', 'RFC 9110 §14.2', 'ask for only part of the resource', 'Lets a client resume a download or seek in a video. The server answers 206 with the part, or ignores the header and sends everything.', (v) => describeRange(v)),
	header('Accept-Ranges', 'RFC 9110 §14.3', 'whether the server supports Range requests', 'bytes means the client may ask for byte ranges; none means it should not.', (v) => (v.trim().toLowerCase() === 'none' ? 'the server does not support partial requests' : `the server accepts ranges in ${v.trim()}`)),
	header('Content-Range', 'RFC 9110 §14.4', 'which part of the whole the body is', 'Sent with 206 (for example bytes 0-499/1234) or with 416 to give the full size.', (v) => `the body is ${v.trim()}`),
	header('Authorization', 'RFC 9110 §11.6.2', 'the client\'s credentials', 'Sent after a 401 challenge, or up front. Basic credentials are only base64-encoded, not encrypted, so they are readable in any capture unless TLS protects the connection.', (v) => `credentials using the ${authScheme(v)} scheme${authScheme(v).toLowerCase() === 'basic' ? ', readable by anyone who sees this plaintext message' : ''}`),
	header('WWW-Authenticate', 'RFC 9110 §11.6.1', 'how to authenticate to get access', 'Sent with 401: names the scheme (Basic, Bearer, ...) and a realm. The browser may show a login dialog.', (v) => `the server wants ${authScheme(v)} authentication`),
	header('Proxy-Authorization', 'RFC 9110 §11.7.2', 'the client\'s credentials for a proxy', 'Like Authorization, but for the proxy on this hop.', (v) => `proxy credentials using ${authScheme(v)}`),
	header('Proxy-Authenticate', 'RFC 9110 §11.7.1', 'how to authenticate to the proxy', 'Sent with 407 by a proxy that wants credentials.', (v) => `the proxy wants ${authScheme(v)} authentication`),
	header('Authentication-Info', 'RFC 9110 §11.6.3', 'extra information after a successful authentication', 'Some schemes return data here, such as a next nonce.', () => 'follow-up data for the authentication scheme')
];
