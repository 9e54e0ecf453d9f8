/** The message model shared by the parser, serializer, pot, web app and analyzer. */

export type Protocol = 'HTTP' | 'HTCPCP';

/** How the body's end was found (see parser.ts for the rules). */
export type MessageFraming = 'none' | 'length' | 'chunked' | 'idle' | 'close';

export interface Header {
	/** The field name as sent (case preserved). */
	name: string;
	value: string;
}

export interface HttpMessage {
	kind: 'request' | 'response';
	protocol: Protocol;
	versionMajor: number;
	versionMinor: number;
	/** Requests only. */
	method?: string;
	target?: string;
	/** Responses only. */
	status?: number;
	reason?: string;
	/** In the order received. */
	headers: Header[];
	trailers: Header[];
	/** The decoded body (chunked coding removed). */
	body: Uint8Array;
	framing: MessageFraming;
	/** Stream offset of the message's first byte. */
	offset: number;
	/** Bytes of start line, headers and the empty line. */
	headLength: number;
	/** Raw bytes the message occupied on the wire, head and framed body. */
	length: number;
}

export function versionString(m: Pick<HttpMessage, 'protocol' | 'versionMajor' | 'versionMinor'>): string {
	return `${m.protocol}/${m.versionMajor}.${m.versionMinor}`;
}

/** The first value of a header, matched case-insensitively (RFC 9110 section 5.1). */
export function getHeader(headers: readonly Header[], name: string): string | undefined {
	const lower = name.toLowerCase();
	for (const h of headers) if (h.name.toLowerCase() === lower) return h.value;
	return undefined;
}

/** Every value of a header, in order. */
export function getHeaders(headers: readonly Header[], name: string): string[] {
	const lower = name.toLowerCase();
	return headers.filter((h) => h.name.toLowerCase() === lower).map((h) => h.value);
}

/** The start line as it appears on the wire, without CRLF. */
export function startLine(m: HttpMessage): string {
	return m.kind === 'request'
		? `${m.method} ${m.target} ${versionString(m)}`
		: `${versionString(m)} ${m.status}${m.reason !== undefined ? ` ${m.reason}` : ''}`;
}

/** The media type of a Content-Type value, lower-cased, without parameters. */
export function mediaType(value: string | undefined): string | undefined {
	if (value === undefined) return undefined;
	return value.split(';')[0].trim().toLowerCase();
}
