/**
 * The web app's side of HTCPCP: the requests it sends to the pot, built as
 * data and sent through the shared `exchange()` (one fresh TCP connection per
 * request, as the lab's web app does). No framing is written here.
 */

import { exchange, type ExchangeResult, type HtcpcpRequest, type PotAddress } from '../client/exchange';
import {
	COFFEE_COMMAND_TYPE,
	POT_HOST,
	WRONG_TEA_COMMAND_TYPE,
	getHeader,
	text,
	type Header
} from '../../src/lib/protocol/index';

export type PotChoice = 'ducky' | 'tea';

/** What came back from the pot, with both messages' raw bytes for the error pages. */
export interface PotReply {
	status: number;
	reason: string;
	headers: Header[];
	body: string;
	request: HtcpcpRequest;
	exchange: ExchangeResult;
}

const POT_URI = `coffee://${POT_HOST}`;
const commandType: Header = { name: 'Content-Type', value: COFFEE_COMMAND_TYPE };

/** The HTCPCP requests the web app knows how to make. */
export const potRequests = {
	/** What is brewing now (`{}` when idle). */
	state: (): HtcpcpRequest => ({ method: 'GET', target: POT_URI, headers: [commandType] }),
	/** The beans of the current brew (RFC 2324 section 2.1.3). */
	beans: (): HtcpcpRequest => ({ method: 'PROPFIND', target: POT_URI, headers: [commandType] }),
	history: (): HtcpcpRequest => ({ method: 'GET', target: `${POT_URI}/history`, headers: [commandType] }),
	/**
	 * Start a brew (RFC 2324 section 2.1.1). The additions go to the pot as
	 * given, joined with `; ` as the lab's web app sends them: the pot decides.
	 */
	start: (additions: readonly string[], pot: PotChoice): HtcpcpRequest => ({
		method: 'BREW',
		target: POT_URI,
		headers: [
			commandType,
			...(additions.length > 0 ? [{ name: 'Accept-Additions', value: additions.join('; ') }] : []),
			{ name: 'Use-Pot', value: pot }
		],
		body: 'start'
	}),
	stop: (): HtcpcpRequest => ({ method: 'BREW', target: POT_URI, headers: [commandType], body: 'stop' }),
	/** Stop pouring milk (RFC 2324 section 2.1.4). */
	when: (): HtcpcpRequest => ({ method: 'WHEN', target: POT_URI, headers: [commandType] })
} as const;

/** The deliberately bad requests behind `/test-400` ... `/test-415`. */
export const badRequests: Record<string, { request: HtcpcpRequest; what: string }> = {
	'400': {
		request: { method: 'GET', target: `caffeine://${POT_HOST}`, headers: [commandType] },
		what: 'a URI whose scheme, caffeine://, is not one of the coffee schemes of RFC 2324 section 3'
	},
	'404': {
		request: { method: 'GET', target: 'coffee://psyduck', headers: [commandType] },
		what: 'a URI naming the host psyduck, while this pot is called ducky'
	},
	'501': {
		request: { method: 'MILK', target: POT_URI, headers: [commandType] },
		what: 'the method MILK, which HTCPCP does not define'
	},
	'415': {
		request: { method: 'GET', target: POT_URI, headers: [{ name: 'Content-Type', value: WRONG_TEA_COMMAND_TYPE }] },
		what: `the content type ${WRONG_TEA_COMMAND_TYPE} instead of ${COFFEE_COMMAND_TYPE}`
	}
};

export async function askPot(address: PotAddress, request: HtcpcpRequest, timeoutMs: number): Promise<PotReply> {
	const result = await exchange(address, request, { timeoutMs });
	const { response } = result;
	return {
		status: response.status ?? 0,
		reason: response.reason ?? '',
		headers: response.headers,
		body: text(response.body),
		request,
		exchange: result
	};
}

export function replyHeader(reply: PotReply, name: string): string | undefined {
	return getHeader(reply.headers, name);
}
