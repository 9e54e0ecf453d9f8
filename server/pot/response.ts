/**
 * The one place pot responses become bytes. Every response, success or
 * refusal, is `HTCPCP/1.1 <code> <reason>` with Server, Date, Content-Type and
 * a Content-Length that matches the body (RFC 2324 section 2.2, framing as in
 * RFC 9112 section 6.2). All bodies are sent as `message/coffeepot`, the type
 * the lab's pot uses for everything it sends (RFC 2324 section 4).
 */

import { COFFEE_RESPONSE_TYPE, serializeResponse, utf8, type Header } from '../../src/lib/protocol/index';
import type { PotReply } from './handler';

export const SERVER_NAME = 'CoffeePot';

let dateSecond = -1;
let dateText = '';

/** The IMF-fixdate of RFC 9110 section 5.6.7, recomputed at most once a second. */
export function httpDate(now = Date.now()): string {
	const second = Math.floor(now / 1000);
	if (second !== dateSecond) {
		dateSecond = second;
		dateText = new Date(second * 1000).toUTCString();
	}
	return dateText;
}

export interface EncodedReply {
	bytes: Uint8Array;
	headers: Header[];
	status: number;
	body: string;
}

export function encodeReply(reply: PotReply, close: boolean): EncodedReply {
	const body = utf8(reply.body);
	const headers: Header[] = [
		{ name: 'Server', value: SERVER_NAME },
		{ name: 'Date', value: httpDate() },
		{ name: 'Content-Type', value: COFFEE_RESPONSE_TYPE },
		...reply.headers,
		{ name: 'Content-Length', value: String(body.length) }
	];
	if (close) headers.push({ name: 'Connection', value: 'close' });
	return { bytes: serializeResponse({ status: reply.status, headers, body }), headers, status: reply.status, body: reply.body };
}
