/**
 * Where a message's body ends, decided once its head is in (RFC 9112
 * section 6.3, plus the HTCPCP rule for BREW and POST without a length; the
 * order of the rules is documented at the top of parser.ts).
 */

import { COMMAND_METHODS } from './constants';
import { protocolError, type ProtocolErrorCode } from './errors';
import { isHtcpcpRequest, type PartialHead } from './head';
import type { MessageFraming } from './message';

const DIGITS_RE = /^\d{1,15}$/;

export interface Framing {
	framing: MessageFraming;
	/** Body bytes still to read, for `length` framing. */
	length: number;
}

function fail(code: ProtocolErrorCode, message: string, offset: number): never {
	throw protocolError(code, message, offset);
}

/**
 * `at` is the message's stream offset (for errors); `isResponseToHead` is asked
 * once for every final response (rule 1), even 204 and 304, so a caller that
 * pairs responses with requests stays in step.
 */
export function chooseFraming(head: PartialHead, at: number, maxBodyBytes: number, isResponseToHead: () => boolean): Framing {
	const status = head.status ?? 0;
	const interim = head.kind === 'response' && status >= 100 && status < 200;
	const answersHead = head.kind === 'response' && !interim && isResponseToHead();
	if (head.kind === 'response' && (interim || status === 204 || status === 304 || answersHead)) {
		return { framing: 'none', length: 0 };
	}
	let te: string[] | null = null;
	let cl: string[] | null = null;
	for (const h of head.headers) {
		const name = h.name;
		const n = name.length;
		// Compare the usual spelling first: lower-casing makes a new string.
		if (n === 17 && (name === 'Transfer-Encoding' || name.toLowerCase() === 'transfer-encoding')) (te ??= []).push(h.value);
		else if (n === 14 && (name === 'Content-Length' || name.toLowerCase() === 'content-length')) (cl ??= []).push(h.value);
	}
	if (te !== null) {
		const codings = te.flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase());
		if (codings[codings.length - 1] !== 'chunked') {
			if (head.kind === 'request') {
				fail('HTCPCP_ERR_TRANSFER_ENCODING', 'a request body must end with the chunked coding', at);
			}
			return { framing: 'close', length: 0 };
		}
		if (cl !== null) {
			fail('HTCPCP_ERR_TRANSFER_ENCODING', 'both Transfer-Encoding and Content-Length are present', at);
		}
		return { framing: 'chunked', length: 0 };
	}
	if (cl !== null) {
		let value = cl[0];
		// The common case, one plain number, skips the list handling (RFC 9110 section 8.6).
		if (cl.length !== 1 || !DIGITS_RE.test(value)) {
			const values = new Set(cl.flatMap((v) => v.split(',')).map((v) => v.trim()));
			if (values.size !== 1) fail('HTCPCP_ERR_CONTENT_LENGTH', 'conflicting Content-Length values', at);
			[value] = values;
		}
		if (!DIGITS_RE.test(value)) fail('HTCPCP_ERR_CONTENT_LENGTH', `Content-Length "${value.slice(0, 20)}" is not a number`, at);
		const length = Number(value);
		if (length > maxBodyBytes) fail('HTCPCP_ERR_BODY_TOO_LARGE', `the body exceeds ${maxBodyBytes} bytes`, at);
		return { framing: 'length', length };
	}
	if (head.kind === 'request') {
		// Rule 4: an HTCPCP command without a length ends at an idle gap or half-close.
		return { framing: COMMAND_METHODS.has(head.method ?? '') && isHtcpcpRequest(head) ? 'idle' : 'none', length: 0 };
	}
	return { framing: 'close', length: 0 };
}
