/**
 * Writes messages byte-exactly: the start line, each header as `Name: value`
 * in the order given, an empty line, then the body. Nothing is added or
 * reordered, so a test can compare the output to the byte; `withLength` is the
 * helper that adds a correct `Content-Length`.
 */

import { concatBytes, utf8 } from './bytes';
import { reasonPhrase } from './constants';
import type { Header, Protocol } from './message';

export interface RequestSpec {
	method: string;
	target: string;
	/** Default `HTTP/1.1`, as the lab's clients send. */
	version?: string;
	headers?: Header[];
	body?: Uint8Array | string;
}

export interface ResponseSpec {
	/** Default `HTCPCP/1.1` for the pot; the web app passes `HTTP/1.1`. */
	version?: string;
	status: number;
	/** Default: the standard reason phrase for `status`. */
	reason?: string;
	headers?: Header[];
	body?: Uint8Array | string;
}

function bodyBytes(body: Uint8Array | string | undefined): Uint8Array {
	if (body === undefined) return new Uint8Array(0);
	return typeof body === 'string' ? utf8(body) : body;
}

function headBytes(startLine: string, headers: readonly Header[]): Uint8Array {
	let head = startLine + '\r\n';
	for (const h of headers) head += `${h.name}: ${h.value}\r\n`;
	return utf8(head + '\r\n');
}

export function serializeRequest(spec: RequestSpec): Uint8Array {
	const version = spec.version ?? 'HTTP/1.1';
	return concatBytes([
		headBytes(`${spec.method} ${spec.target} ${version}`, spec.headers ?? []),
		bodyBytes(spec.body)
	]);
}

export function serializeResponse(spec: ResponseSpec): Uint8Array {
	const version = spec.version ?? 'HTCPCP/1.1';
	const reason = spec.reason ?? reasonPhrase(spec.status);
	return concatBytes([
		headBytes(`${version} ${spec.status} ${reason}`, spec.headers ?? []),
		bodyBytes(spec.body)
	]);
}

/** Returns the headers with `Content-Length` set for `body` (replacing any earlier one). */
export function withLength(headers: readonly Header[], body: Uint8Array | string | undefined): Header[] {
	const length = bodyBytes(body).length;
	return [...headers.filter((h) => h.name.toLowerCase() !== 'content-length'), { name: 'Content-Length', value: String(length) }];
}

/** Encodes a body with the chunked transfer coding (RFC 9112 section 7.1), in pieces of `size` bytes. */
export function chunkedBody(body: Uint8Array | string, size = 1024): Uint8Array {
	const bytes = bodyBytes(body);
	const parts: Uint8Array[] = [];
	for (let at = 0; at < bytes.length; at += size) {
		const piece = bytes.subarray(at, Math.min(bytes.length, at + size));
		parts.push(utf8(piece.length.toString(16) + '\r\n'), piece, utf8('\r\n'));
	}
	parts.push(utf8('0\r\n\r\n'));
	return concatBytes(parts);
}

export function protocolVersion(protocol: Protocol, minor = 1): string {
	return `${protocol}/1.${minor}`;
}
