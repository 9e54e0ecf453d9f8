/**
 * Protocol errors: a stable code, the status a server should answer with, and
 * the stream offset where the parser gave up. One factory makes them all.
 */

import type { HttpMessage } from './message';

export const ERROR_CODES = {
	HTCPCP_ERR_HEAD_TOO_LARGE: 431,
	HTCPCP_ERR_BODY_TOO_LARGE: 413,
	HTCPCP_ERR_START_LINE: 400,
	HTCPCP_ERR_INVALID_UTF8: 400,
	HTCPCP_ERR_HEADER: 400,
	HTCPCP_ERR_CONTENT_LENGTH: 400,
	HTCPCP_ERR_TRANSFER_ENCODING: 400,
	HTCPCP_ERR_CHUNK: 400,
	HTCPCP_ERR_VERSION: 505,
	HTCPCP_ERR_INCOMPLETE: 400,
	HTCPCP_ERR_TIMEOUT: 408
} as const;

export type ProtocolErrorCode = keyof typeof ERROR_CODES;

export class ProtocolError extends Error {
	readonly code: ProtocolErrorCode;
	/** The status a server answers with when a request fails this way. */
	readonly status: number;
	/** Byte offset in the stream (from the parser's first byte) where the problem was found. */
	readonly offset: number;
	/**
	 * Messages that the same `push` completed before the error: a caller answers
	 * them first. Empty for errors from `finish` and `endIdleBody`.
	 */
	completed: HttpMessage[] = [];

	constructor(code: ProtocolErrorCode, message: string, offset: number) {
		super(message);
		this.name = 'ProtocolError';
		this.code = code;
		this.status = ERROR_CODES[code];
		this.offset = offset;
	}
}

export function protocolError(code: ProtocolErrorCode, message: string, offset: number): ProtocolError {
	return new ProtocolError(code, message, offset);
}
