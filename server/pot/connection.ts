/**
 * One client connection, without the socket: bytes in, responses out. The
 * server wires a TCP socket to it; tests and the fuzzer can drive it directly.
 *
 * - Persistent connections and pipelining (RFC 9112 sections 9.3 and 9.3.2):
 *   requests are answered in the order they arrived; the connection closes after
 *   a request with `Connection: close`, an HTTP/1.0 request without keep-alive,
 *   or any framing error.
 * - Timers: an unframed BREW body ends after `bodyIdleMs` of silence; a client
 *   that stops half-way through a request gets 408 after `stallMs`; an idle
 *   connection between requests is closed after `idleMs`.
 */

import {
	BODY_IDLE_MS,
	KEEP_ALIVE_IDLE_MS,
	MessageParser,
	ProtocolError,
	REQUEST_STALL_MS,
	getHeaders,
	reasonPhrase,
	type HttpMessage,
	type ParserLimits
} from '../../src/lib/protocol/index';
import type { PotReply } from './handler';
import type { PotLog } from './log';
import { encodeReply } from './response';

export interface Transport {
	/** Returns false when the peer is not reading fast enough (pause until `drained`). */
	write(bytes: Uint8Array): boolean;
	/** Close after everything written so far has been sent. */
	end(): void;
	/** Drop the connection now. */
	destroy(): void;
	pause(): void;
	resume(): void;
}

export interface ConnectionOptions {
	handle: (request: HttpMessage) => PotReply;
	log?: PotLog;
	peer: string;
	stallMs?: number;
	idleMs?: number;
	bodyIdleMs?: number;
	limits?: Partial<ParserLimits>;
	/** Called after each request was answered (the server reschedules its brew timer). */
	afterRequest?: () => void;
}

/** True when the client asked to close, or speaks HTTP/1.0 without keep-alive (RFC 9112 section 9.3). */
export function wantsClose(req: HttpMessage): boolean {
	let keepAlive = false;
	for (const value of getHeaders(req.headers, 'connection')) {
		for (const raw of value.split(',')) {
			const token = raw.trim().toLowerCase();
			if (token === 'close') return true;
			if (token === 'keep-alive') keepAlive = true;
		}
	}
	return req.versionMinor === 0 && !keepAlive;
}

export class PotConnection {
	private readonly parser: MessageParser;
	private readonly stallMs: number;
	private readonly idleMs: number;
	private readonly bodyIdleMs: number;
	private timer: ReturnType<typeof setTimeout> | null = null;
	/** No more requests will be read: a final response was sent or the socket is gone. */
	private done = false;
	private paused = false;
	requests = 0;

	constructor(
		private readonly transport: Transport,
		private readonly options: ConnectionOptions
	) {
		this.parser = new MessageParser('request', options.limits ?? {});
		this.stallMs = options.stallMs ?? REQUEST_STALL_MS;
		this.idleMs = options.idleMs ?? KEEP_ALIVE_IDLE_MS;
		this.bodyIdleMs = options.bodyIdleMs ?? BODY_IDLE_MS;
		this.arm();
	}

	get finished(): boolean {
		return this.done;
	}

	receive(chunk: Uint8Array): void {
		if (this.done) return;
		let messages: HttpMessage[];
		try {
			messages = this.parser.push(chunk);
		} catch (e) {
			// Requests that were complete before the bad bytes are answered first.
			if (e instanceof ProtocolError) this.answer(e.completed);
			if (!this.done) this.refuse(e);
			return;
		}
		this.answer(messages);
		this.arm();
	}

	/** The peer half-closed: an unframed body ends here; a cut-off request gets 400. */
	peerEnded(): void {
		if (this.done) return;
		let messages: HttpMessage[];
		try {
			messages = this.parser.finish();
		} catch (e) {
			this.refuse(e);
			return;
		}
		this.answer(messages);
		if (!this.done) this.finish();
	}

	/** The transport can take more output. */
	drained(): void {
		if (this.paused && !this.done) {
			this.paused = false;
			this.transport.resume();
		}
	}

	/** The socket is gone: stop timers. */
	close(): void {
		this.done = true;
		this.clearTimer();
	}

	private answer(messages: HttpMessage[]): void {
		for (const request of messages) {
			if (this.done) return;
			this.requests++;
			this.options.log?.request(this.options.peer, request);
			let reply: PotReply;
			try {
				reply = this.options.handle(request);
			} catch (e) {
				reply = { status: 500, headers: [], body: `The pot failed while handling this request: ${(e as Error).message}` };
			}
			const close = wantsClose(request) || reply.status === 500;
			this.send(reply, close);
			this.options.afterRequest?.();
		}
	}

	/** Every refusal of a message that could not be parsed goes through here. */
	private refuse(error: unknown): void {
		const status = error instanceof ProtocolError ? error.status : 400;
		const detail = error instanceof Error ? error.message : String(error);
		const fix: Record<number, string> = {
			408: 'Send the whole request without long pauses.',
			413: 'Send a shorter body (a pot command is start or stop).',
			431: 'Send a shorter request line and fewer or shorter headers.',
			505: 'Use HTTP/1.1 or HTCPCP/1.0 style requests.'
		};
		const hint = fix[status] ?? 'Send METHOD coffee://ducky HTTP/1.1, headers, an empty line, then the body.';
		this.send({ status, headers: [], body: `${reasonPhrase(status)}: ${detail}.\n${hint}` }, true);
	}

	private send(reply: PotReply, close: boolean): void {
		const encoded = encodeReply(reply, close);
		this.options.log?.response(this.options.peer, encoded.status, encoded.headers, encoded.body);
		const flowing = this.transport.write(encoded.bytes);
		if (close) {
			this.finish();
		} else if (!flowing && !this.paused) {
			this.paused = true;
			this.transport.pause();
		}
	}

	private finish(): void {
		this.done = true;
		this.clearTimer();
		this.transport.end();
	}

	private clearTimer(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}

	/** One timer per connection; what it means depends on where the parser is. */
	private arm(): void {
		this.clearTimer();
		if (this.done) return;
		if (this.parser.awaitingIdleBody) {
			this.timer = setTimeout(() => this.idleBodyEnded(), this.bodyIdleMs);
		} else if (this.parser.midMessage) {
			this.timer = setTimeout(
				() => this.refuse(new ProtocolError('HTCPCP_ERR_TIMEOUT', `no byte arrived for ${this.stallMs} ms in the middle of a request`, this.parser.offset)),
				this.stallMs
			);
		} else {
			this.timer = setTimeout(() => {
				this.done = true;
				this.transport.end();
			}, this.idleMs);
		}
	}

	private idleBodyEnded(): void {
		this.timer = null;
		if (this.done) return;
		let messages: HttpMessage[];
		try {
			messages = this.parser.endIdleBody();
		} catch (e) {
			this.refuse(e);
			return;
		}
		this.answer(messages);
		this.arm();
	}
}
