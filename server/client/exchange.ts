/**
 * One HTCPCP exchange over a fresh TCP connection, as the lab's web app makes
 * them: connect, write one request, read one response, close. Shared by the
 * `htcpcp` CLI, the web app and the tests, so HTCPCP framing is written once
 * (the protocol core's serializer and parser).
 */

import net from 'node:net';
import {
	MessageParser,
	ProtocolError,
	serializeRequest,
	withLength,
	type Header,
	type HttpMessage
} from '../../src/lib/protocol/index';

export interface PotAddress {
	host: string;
	port: number;
}

export interface HtcpcpRequest {
	method: string;
	target: string;
	headers?: Header[];
	body?: string | Uint8Array;
	/** Default `HTTP/1.1`, as the lab's web app sends. */
	version?: string;
}

export interface ExchangeOptions {
	/** Give up after this many milliseconds without a complete response. Default 5000. */
	timeoutMs?: number;
	/**
	 * Add `Content-Length` for the body (default true). False sends the body
	 * unframed, as the original lab's web app does; the pot then ends it at an idle gap.
	 */
	contentLength?: boolean;
}

export interface ExchangeResult {
	requestBytes: Uint8Array;
	responseBytes: Uint8Array;
	response: HttpMessage;
	/** The local TCP port the request left from (students compare it across requests). */
	localPort: number;
}

export type ExchangeErrorKind = 'unreachable' | 'timeout' | 'protocol' | 'closed';

/** Why an exchange failed; `kind` lets the web app choose 502 or 504. */
export class ExchangeError extends Error {
	readonly kind: ExchangeErrorKind;
	readonly address: PotAddress;
	constructor(kind: ExchangeErrorKind, address: PotAddress, message: string) {
		super(message);
		this.name = 'ExchangeError';
		this.kind = kind;
		this.address = address;
	}
}

export function buildRequestBytes(request: HtcpcpRequest, options: ExchangeOptions = {}): Uint8Array {
	const headers = request.headers ?? [];
	const framed =
		options.contentLength === false || request.body === undefined ? headers : withLength(headers, request.body);
	return serializeRequest({ ...request, headers: framed });
}

export function exchange(to: PotAddress, request: HtcpcpRequest, options: ExchangeOptions = {}): Promise<ExchangeResult> {
	const timeoutMs = options.timeoutMs ?? 5000;
	const requestBytes = buildRequestBytes(request, options);
	const parser = new MessageParser('response', { isResponseToHead: () => request.method === 'HEAD' });
	const received: Buffer[] = [];

	return new Promise((resolve, reject) => {
		let settled = false;
		let localPort = 0;
		const socket = net.connect({ host: to.host, port: to.port });
		const where = `${to.host}:${to.port}`;

		const finish = (error: ExchangeError | null, response?: HttpMessage) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			socket.destroy();
			if (error) reject(error);
			else
				resolve({
					requestBytes,
					responseBytes: new Uint8Array(Buffer.concat(received)),
					response: response as HttpMessage,
					localPort
				});
		};
		const timer = setTimeout(
			() => finish(new ExchangeError('timeout', to, `the pot at ${where} sent no complete response within ${timeoutMs} ms`)),
			timeoutMs
		);
		const handle = (messages: HttpMessage[]) => {
			if (messages.length > 0) finish(null, messages[0]);
		};

		socket.on('connect', () => {
			localPort = socket.localPort ?? 0;
			socket.write(requestBytes);
		});
		socket.on('data', (chunk: Buffer) => {
			received.push(chunk);
			try {
				handle(parser.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
			} catch (e) {
				const detail = e instanceof ProtocolError ? e.message : String(e);
				finish(new ExchangeError('protocol', to, `the pot at ${where} answered with something that is not an HTCPCP response: ${detail}`));
			}
		});
		socket.on('end', () => {
			try {
				handle(parser.finish());
			} catch {
				/* reported below */
			}
			finish(
				new ExchangeError(
					received.length === 0 ? 'closed' : 'protocol',
					to,
					received.length === 0
						? `the pot at ${where} closed the connection without answering`
						: `the pot at ${where} closed the connection in the middle of its response`
				)
			);
		});
		socket.on('error', (err: NodeJS.ErrnoException) => {
			const refused = err.code === 'ECONNREFUSED' || err.code === 'EHOSTUNREACH' || err.code === 'ENOTFOUND';
			finish(
				new ExchangeError(
					refused ? 'unreachable' : 'closed',
					to,
					refused ? `nothing is listening at ${where} (${err.code})` : `the connection to ${where} failed: ${err.message}`
				)
			);
		});
	});
}
