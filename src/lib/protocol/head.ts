/**
 * The pieces of a message head, one line at a time: request line, status line
 * and header field lines (RFC 9112 sections 3, 4 and 5). Pure functions over
 * bytes or text that throw a `ProtocolError` with the stream offset of the
 * problem; the parser owns the buffering and the state.
 */

import { internHashed, INTERN_PRIME, INTERN_SEED, text } from './bytes';
import { protocolError, type ProtocolErrorCode } from './errors';
import type { Header, HttpMessage, Protocol } from './message';

const SP = 0x20;
const HTAB = 0x09;

/** tchar of RFC 9110 section 5.6.2, as a lookup table. */
export const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;

const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// eslint-disable-next-line no-control-regex
const REQUEST_LINE_RE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+) ([^\x00-\x20\x7f]+) (HTTP|HTCPCP)\/(\d)\.(\d)$/;
const VERSION_RE = /^(HTTP|HTCPCP)\/(\d)\.(\d)$/;
const STATUS_LINE_RE = /^(HTTP|HTCPCP)\/(\d)\.(\d) (\d{3})(?: ([^\x00-\x08\x0a-\x1f\x7f]*))?$/;

export type ParserMode = 'request' | 'response';

/** A message's head as parsed so far: the message model's start-line fields and headers. */
export type PartialHead = Pick<HttpMessage, 'kind' | 'protocol' | 'versionMajor' | 'versionMinor' | 'method' | 'target' | 'status' | 'reason' | 'headers'>;

function fail(code: ProtocolErrorCode, message: string, offset: number): never {
	throw protocolError(code, message, offset);
}

/** `METHOD SP TARGET SP VERSION`; `at` is the line's stream offset. */
export function requestLine(line: string, base: number, at: number): PartialHead {
	const m = REQUEST_LINE_RE.exec(line);
	if (m !== null && m[4] === '1') {
		return {
			kind: 'request',
			protocol: m[3] as Protocol,
			versionMajor: 1,
			versionMinor: m[5].charCodeAt(0) - 0x30,
			method: m[1],
			target: m[2],
			headers: []
		};
	}
	// Not the plain shape: find which part is wrong, to say so.
	const parts = line.split(' ');
	if (parts.length !== 3) {
		fail('HTCPCP_ERR_START_LINE', 'a request line is METHOD SP TARGET SP VERSION', base + at);
	}
	const [method, target, version] = parts;
	if (!TOKEN_RE.test(method)) fail('HTCPCP_ERR_START_LINE', 'the method is not a token', base + at);
	// eslint-disable-next-line no-control-regex
	if (target.length === 0 || /[\x00-\x20\x7f]/.test(target)) {
		fail('HTCPCP_ERR_START_LINE', 'the request target is empty or has control characters', base + at);
	}
	const v = VERSION_RE.exec(version);
	if (!v) fail('HTCPCP_ERR_START_LINE', `"${version.slice(0, 20)}" is not HTTP/x.y or HTCPCP/x.y`, base + at);
	if (v[2] !== '1') fail('HTCPCP_ERR_VERSION', `version ${version} is not supported (1.x only)`, base + at);
	return {
		kind: 'request',
		protocol: v[1] as Protocol,
		versionMajor: Number(v[2]),
		versionMinor: Number(v[3]),
		method,
		target,
		headers: []
	};
}

/** `VERSION SP CODE SP REASON`; `at` is the line's stream offset. */
export function statusLine(line: string, base: number, at: number): PartialHead {
	const m = STATUS_LINE_RE.exec(line);
	if (!m) fail('HTCPCP_ERR_START_LINE', 'a status line is VERSION SP CODE SP REASON', base + at);
	if (m[2] !== '1') fail('HTCPCP_ERR_VERSION', `version ${m[1]}/${m[2]}.${m[3]} is not supported (1.x only)`, base + at);
	return {
		kind: 'response',
		protocol: m[1] as Protocol,
		versionMajor: Number(m[2]),
		versionMinor: Number(m[3]),
		status: Number(m[4]),
		reason: m[5] ?? '',
		headers: []
	};
}

/** Parses the header line `buf[from..to)` (RFC 9112 section 5). */
export function headerLine(buf: Uint8Array, from: number, to: number, base: number): Header {
	const c0 = buf[from];
	if (c0 === SP || c0 === HTAB) {
		fail('HTCPCP_ERR_HEADER', 'obsolete line folding is not accepted (RFC 9112 section 5.2)', base + from);
	}
	let colon = from;
	while (colon < to && buf[colon] !== 0x3a) colon++;
	if (colon === to || colon === from) {
		fail('HTCPCP_ERR_HEADER', 'a header line has no field name and colon', base + from);
	}
	// One pass per part: check the characters and hash them for the string table.
	let nameHash = INTERN_SEED;
	for (let i = from; i < colon; i++) {
		const c = buf[i];
		if (c >= 128 || TCHAR[c] !== 1) {
			fail('HTCPCP_ERR_HEADER', 'a header field name has a character that is not allowed', base + i);
		}
		nameHash = Math.imul(nameHash ^ c, INTERN_PRIME);
	}
	let vs = colon + 1;
	let ve = to;
	while (vs < ve && (buf[vs] === SP || buf[vs] === HTAB)) vs++;
	while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HTAB)) ve--;
	let valueHash = INTERN_SEED;
	let ascii = true;
	for (let i = vs; i < ve; i++) {
		const c = buf[i];
		if ((c < 0x20 && c !== HTAB) || c === 0x7f) {
			fail('HTCPCP_ERR_HEADER', 'a header value has a control character', base + i);
		}
		if (c >= 0x80) ascii = false;
		valueHash = Math.imul(valueHash ^ c, INTERN_PRIME);
	}
	return {
		name: internHashed(buf, from, colon, nameHash),
		value: ascii ? internHashed(buf, vs, ve, valueHash) : text(buf.subarray(vs, ve))
	};
}

/**
 * A whole head in its common shape: printable ASCII, every line ended by CRLF,
 * each header line `token ":" value` with nothing but tab and printable ASCII
 * in the value. Heads of that shape (nearly all of them) are read from one
 * decoded string; anything else goes through the byte-exact path above, which
 * knows the leniencies and says where an error is.
 */
const PLAIN_HEAD_RE = /^[\x20-\x7e]+\r\n(?:[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e]*\r\n)*\r\n$/;

/**
 * Parses `head` (the start line through the empty line, CRLFs included) when
 * it has the plain shape above; returns null when it has not, or when its
 * start line is not valid, so that the caller can take the byte-exact path
 * and report the error from there.
 */
export function plainHead(head: string, mode: ParserMode): PartialHead | null {
	if (!PLAIN_HEAD_RE.test(head)) return null;
	const eol = head.indexOf('\r\n');
	let parsed: PartialHead;
	try {
		parsed = mode === 'request' ? requestLine(head.slice(0, eol), 0, 0) : statusLine(head.slice(0, eol), 0, 0);
	} catch {
		return null;
	}
	const headers = parsed.headers;
	const end = head.length - 2;
	for (let at = eol + 2; at < end; ) {
		// The pattern guarantees a colon on every line and no CR inside one.
		const colon = head.indexOf(':', at);
		const lineEnd = head.indexOf('\r', colon);
		let vs = colon + 1;
		let ve = lineEnd;
		let c: number;
		while (vs < ve && ((c = head.charCodeAt(vs)) === SP || c === HTAB)) vs++;
		while (ve > vs && ((c = head.charCodeAt(ve - 1)) === SP || c === HTAB)) ve--;
		headers.push({ name: head.slice(at, colon), value: head.slice(vs, ve) });
		at = lineEnd + 2;
	}
	return parsed;
}

/** An HTCPCP request: `HTCPCP/` version, or a target that is an absolute URI with a non-HTTP scheme. */
export function isHtcpcpRequest(head: PartialHead): boolean {
	if (head.protocol === 'HTCPCP') return true;
	const target = head.target ?? '';
	const colon = target.indexOf(':');
	if (colon <= 0 || target.startsWith('/')) return false;
	const scheme = target.slice(0, colon).toLowerCase();
	return scheme !== 'http' && scheme !== 'https';
}
