/**
 * An incremental parser for HTTP/1.x-style messages (RFC 9112) and their
 * HTCPCP variant (RFC 2324 section 2). Feed it chunks of any size with
 * `push`; it returns every message those bytes completed. A message may arrive
 * one byte at a time, or several pipelined messages may arrive in one chunk.
 *
 * Body framing, in order (RFC 9112 section 6.3, plus one HTCPCP rule):
 * 1. responses to HEAD, 1xx, 204 and 304 responses have no body;
 * 2. `Transfer-Encoding: chunked` (as the final coding): a chunked body;
 * 3. `Content-Length`: exactly that many bytes;
 * 4. a BREW or POST request to a coffee URI (or with an `HTCPCP/` version)
 *    with neither header: an "idle-delimited" body, ended by `finish()` (the
 *    client half-closed) or by `endIdleBody()` (the owner's idle timer,
 *    `BODY_IDLE_MS`, fired). The original lab's web app sends `start` this way;
 *    such a request cannot be followed by a pipelined one;
 * 5. any other request: no body;
 * 6. any other response: the body runs until the connection closes (`finish()`).
 *
 * Leniencies (each deliberate): a bare LF ends a line like CRLF
 * (RFC 9112 section 2.2 allows it), and empty lines before a request line are
 * skipped. Everything else that is not valid syntax is an error, which sticks.
 *
 * Bodies are not copied: a body that arrived inside one pushed chunk is a
 * view (`subarray`) of that chunk, and only a body split across pushes is
 * joined into new memory. The parser therefore keeps views of the chunks it
 * was given: a caller must not change a chunk's bytes after pushing it (Node
 * socket chunks and file buffers are never reused, so they are fine). The
 * parser's own store, used when a head or chunk line straddles pushes, only
 * ever appends past the bytes it has handed out, so its views stay valid too.
 *
 * Heads are read one of two ways. A head of the plain shape (printable ASCII,
 * CRLF line ends, `token: value` fields; see `plainHead`) that is all here is
 * decoded once and split as text, even when it straddles two pushes. Any
 * other head, and every error, goes through the line-by-line path, which
 * knows the leniencies and gives the exact offset of a bad byte. Both give the
 * same messages (head-paths.test.ts holds them to it).
 *
 * No Node or DOM APIs: this runs in the browser too.
 */

import { allocate, concatBytes, internedText, isAscii, strictText, text } from './bytes';
import { chooseFraming } from './framing';
import { headerLine, plainHead, requestLine, statusLine, TCHAR, type ParserMode, type PartialHead } from './head';
import { protocolError, ProtocolError } from './errors';
import { DEFAULT_LIMITS, type ParserLimits } from './limits';
import type { Header, HttpMessage, MessageFraming } from './message';

export type { ParserMode };

export interface ParserOptions extends Partial<ParserLimits> {
	/**
	 * For a response parser: called once for each final (non-1xx) response
	 * head, in order, to ask whether it answers a HEAD request (and so has no
	 * body). The analyzer answers from the requests it saw on the other direction.
	 */
	isResponseToHead?: () => boolean;
}

const enum State {
	Head,
	BodyLength,
	ChunkSize,
	ChunkData,
	ChunkDataEnd,
	Trailers,
	BodyIdle,
	BodyClose,
	Failed
}

const LF = 0x0a;
const CR = 0x0d;
const SP = 0x20;

const HEX_RE = /^[0-9A-Fa-f]+$/;

/** Bytes the fast path decodes first when it looks for a whole head (most heads are shorter). */
const HEAD_WINDOW = 1024;

/** The state that reads each kind of body. */
const BODY_STATE: Record<MessageFraming, State> = {
	none: State.Head,
	length: State.BodyLength,
	chunked: State.ChunkSize,
	idle: State.BodyIdle,
	close: State.BodyClose
};

export class MessageParser {
	readonly mode: ParserMode;
	private readonly limits: ParserLimits;
	private readonly isResponseToHead: () => boolean;

	/** Unconsumed bytes: `buffer[start..]` is what is left to parse. */
	private buffer: Uint8Array = new Uint8Array(0);
	/** Storage the parser owns and appends into (null while `buffer` is a caller's chunk). */
	private store: Uint8Array | null = null;
	private start = 0;
	/** Stream offset of `buffer[0]`. */
	private base = 0;

	private state = State.Head;
	private error: ProtocolError | null = null;
	/** Where the next line scan resumes inside the head (relative to the message start). */
	private scanFrom = 0;
	/** Where the current head line starts (relative to the message start). */
	private lineStart = 0;
	/**
	 * The head lines found so far, as flat start, end pairs relative to the
	 * message start: `append` may move the buffer, so buffer indexes would go stale.
	 */
	private lines: number[] = [];
	private messageStart = 0;
	private head: PartialHead | null = null;
	private headLength = 0;
	private remaining = 0;
	private bodyParts: Uint8Array[] = [];
	private bodySize = 0;
	private framing: MessageFraming = 'none';
	private trailers: Header[] = [];
	/** Bytes of the trailer section read so far (limited like a head). */
	private trailerBytes = 0;
	private trailerStart = 0;

	constructor(mode: ParserMode, options: ParserOptions = {}) {
		this.mode = mode;
		this.limits = {
			maxHeadBytes: options.maxHeadBytes ?? DEFAULT_LIMITS.maxHeadBytes,
			maxBodyBytes: options.maxBodyBytes ?? DEFAULT_LIMITS.maxBodyBytes
		};
		this.isResponseToHead = options.isResponseToHead ?? (() => false);
	}

	/** True while part of a message has arrived but not all of it. */
	get midMessage(): boolean {
		if (this.state === State.Failed) return false;
		if (this.state !== State.Head) return true;
		return this.buffer.length - this.start > 0;
	}

	/** True when the current message's body ends only at an idle gap or half-close. */
	get awaitingIdleBody(): boolean {
		return this.state === State.BodyIdle;
	}

	/** True when the current response's body ends only when the connection closes. */
	get awaitingClose(): boolean {
		return this.state === State.BodyClose;
	}

	/** The error that stopped the parser, if any. */
	get failure(): ProtocolError | null {
		return this.error;
	}

	/** Stream offset of the next byte the parser has not yet consumed. */
	get offset(): number {
		return this.base + this.start;
	}

	/** Bytes received but not yet part of a complete message. */
	get pendingBytes(): number {
		return this.buffer.length - this.start;
	}

	/**
	 * Feeds bytes; returns the messages they completed, in order.
	 * Throws a `ProtocolError` (and keeps throwing it) on invalid input.
	 */
	push(chunk: Uint8Array): HttpMessage[] {
		if (this.error) throw this.error;
		const out: HttpMessage[] = [];
		try {
			if (!this.headAcross(chunk)) this.append(chunk);
			else if (this.state === State.Head) out.push(this.complete()); // a message without a body
			this.run(out);
		} catch (e) {
			if (e instanceof ProtocolError) {
				// Messages completed before the bad bytes are not lost: a server
				// answers them, then the error.
				e.completed = out;
				this.error = e;
				this.state = State.Failed;
			}
			throw e;
		}
		return out;
	}

	/**
	 * The peer half-closed or closed the connection. Completes an idle- or
	 * close-delimited body; throws `HTCPCP_ERR_INCOMPLETE` when a message was cut off.
	 */
	finish(): HttpMessage[] {
		if (this.error) throw this.error;
		if (this.state === State.BodyIdle || this.state === State.BodyClose) {
			return [this.complete()];
		}
		if (this.midMessage) {
			const e = protocolError(
				'HTCPCP_ERR_INCOMPLETE',
				'the connection ended in the middle of a message',
				this.offset + this.pendingBytes
			);
			this.error = e;
			this.state = State.Failed;
			throw e;
		}
		return [];
	}

	/** The owner's idle timer fired: ends an idle-delimited body. */
	endIdleBody(): HttpMessage[] {
		if (this.state !== State.BodyIdle) return [];
		const out = [this.complete()];
		// Bytes after an idle-delimited body start the next message.
		if (this.buffer.length - this.start > 0) {
			try {
				this.run(out);
			} catch (e) {
				if (e instanceof ProtocolError) {
					this.error = e;
					this.state = State.Failed;
				}
				throw e;
			}
		}
		return out;
	}

	/**
	 * The fast path for a head that began in an earlier push and ends in
	 * `chunk`: the two parts are decoded and joined as text instead of being
	 * copied into the store. On success parsing continues inside `chunk`
	 * itself, so the body that follows is a view of it. Returns false, having
	 * changed nothing, when the head is not of the plain shape or not complete;
	 * `append` and the line-by-line path then take it.
	 */
	private headAcross(chunk: Uint8Array): boolean {
		if (this.state !== State.Head || this.scanFrom === 0 || chunk.length === 0) return false;
		const origin = this.messageStart - this.base;
		const rest = this.buffer.length - origin;
		if (rest <= 0 || rest > HEAD_WINDOW) return false;
		// A head ends only with a line end; a client sending its head a few bytes
		// at a time must not cost a decode of everything so far on every push.
		const window = chunk.length > HEAD_WINDOW ? chunk.subarray(0, HEAD_WINDOW) : chunk;
		if (window.indexOf(LF) === -1) return false;
		const before = text(this.buffer.subarray(origin));
		const joined = before + text(window);
		const end = joined.indexOf('\r\n\r\n', Math.max(0, before.length - 3));
		if (end === -1 || end + 4 > this.limits.maxHeadBytes) return false;
		const head = plainHead(joined.slice(0, end + 4), this.mode);
		if (head === null) return false;
		// `plainHead` accepts ASCII only, so characters and bytes line up.
		this.base += this.buffer.length;
		this.buffer = chunk;
		this.store = null;
		this.start = end + 4 - rest;
		this.headLength = end + 4;
		this.adoptHead(head, this.messageStart - this.base);
		return true;
	}

	/**
	 * Adds a chunk after the unconsumed bytes. When everything before was
	 * consumed the chunk is used as it is (no copy); otherwise the bytes go into
	 * a growable store whose capacity doubles, so a head that arrives one byte
	 * at a time costs linear, not quadratic, copying.
	 */
	private append(chunk: Uint8Array): void {
		if (chunk.length === 0) return;
		const rest = this.buffer.length - this.start;
		if (rest === 0) {
			this.base += this.buffer.length;
			this.buffer = chunk;
			this.start = 0;
			this.store = null;
			return;
		}
		const store = this.store;
		if (store !== null && this.buffer.byteOffset === store.byteOffset && this.buffer.length + chunk.length <= store.length) {
			store.set(chunk, this.buffer.length);
			this.buffer = store.subarray(0, this.buffer.length + chunk.length);
			return;
		}
		const needed = rest + chunk.length;
		const grown = allocate(Math.max(needed * 2, 4096));
		grown.set(this.buffer.subarray(this.start));
		grown.set(chunk, rest);
		this.base += this.start;
		this.start = 0;
		this.store = grown;
		this.buffer = grown.subarray(0, needed);
	}

	private run(out: HttpMessage[]): void {
		for (;;) {
			const available = this.buffer.length - this.start;
			switch (this.state) {
				case State.Head:
					if (available === 0 || !this.parseHead()) return;
					if (this.state === State.Head) out.push(this.complete());
					break;
				case State.BodyLength: {
					if (available === 0) return;
					const take = Math.min(available, this.remaining);
					this.addBody(this.view(take));
					this.start += take;
					this.remaining -= take;
					if (this.remaining > 0) return;
					out.push(this.complete());
					break;
				}
				case State.ChunkSize:
					if (!this.parseChunkSize()) return;
					break;
				case State.ChunkData: {
					if (available === 0) return;
					const take = Math.min(available, this.remaining);
					this.addBody(this.view(take));
					this.start += take;
					this.remaining -= take;
					if (this.remaining > 0) return;
					this.state = State.ChunkDataEnd;
					break;
				}
				case State.ChunkDataEnd: {
					// RFC 9112 section 7.1: CRLF after the data (a bare LF is accepted too).
					if (available === 0) return;
					const c = this.buffer[this.start];
					if (c === CR) {
						if (available < 2) return;
						if (this.buffer[this.start + 1] !== LF) {
							this.fail('HTCPCP_ERR_CHUNK', 'chunk data is not followed by CRLF', this.offset + 1);
						}
						this.start += 2;
					} else if (c === LF) {
						this.start += 1;
					} else {
						this.fail('HTCPCP_ERR_CHUNK', 'chunk data is not followed by CRLF', this.offset);
					}
					this.state = State.ChunkSize;
					break;
				}
				case State.Trailers:
					if (!this.parseTrailers()) return;
					out.push(this.complete());
					break;
				case State.BodyIdle:
				case State.BodyClose:
					if (available === 0) return;
					this.addBody(this.view(available));
					this.start = this.buffer.length;
					return;
				case State.Failed:
					return;
			}
		}
	}

	/** The next `n` unconsumed bytes, without a new view when they are the whole buffer. */
	private view(n: number): Uint8Array {
		const buf = this.buffer;
		if (this.start === 0 && n === buf.length) return buf;
		return buf.subarray(this.start, this.start + n);
	}

	/**
	 * Finds the end of one line starting at `start`. Returns [start, end) of the
	 * line content (without CR LF) relative to the buffer and consumes it, or
	 * null when no LF has arrived yet. `max` caps the line length.
	 */
	private takeLine(max: number): [number, number] | null {
		const lf = this.buffer.indexOf(LF, this.start);
		if (lf === -1) {
			if (this.buffer.length - this.start > max) {
				this.fail('HTCPCP_ERR_CHUNK', 'a chunk line is too long', this.offset);
			}
			return null;
		}
		let end = lf;
		if (end > this.start && this.buffer[end - 1] === CR) end--;
		if (end - this.start > max) this.fail('HTCPCP_ERR_CHUNK', 'a chunk line is too long', this.offset);
		const line: [number, number] = [this.start, end];
		this.start = lf + 1;
		return line;
	}

	/** Returns true when a full head was parsed (state then moves on). */
	private parseHead(): boolean {
		const buf = this.buffer;
		// Skip empty lines before a request line (RFC 9112 section 2.2).
		if (this.lines.length === 0 && this.scanFrom === 0) {
			while (this.start < buf.length && (buf[this.start] === CR || buf[this.start] === LF)) {
				if (buf[this.start] === CR && this.start + 1 >= buf.length) return false;
				if (buf[this.start] === CR && buf[this.start + 1] !== LF) {
					this.fail('HTCPCP_ERR_START_LINE', 'a bare CR before the start line', this.offset);
				}
				this.start += buf[this.start] === CR ? 2 : 1;
			}
			if (this.start >= buf.length) return false;
			this.messageStart = this.base + this.start;
		}
		const origin = this.messageStart - this.base;
		if (this.scanFrom === 0 && this.plainHeadAt(origin)) return true;
		for (;;) {
			const lf = buf.indexOf(LF, origin + this.scanFrom);
			if (lf === -1) {
				if (buf.length - origin > this.limits.maxHeadBytes) this.tooLarge();
				if (this.lines.length === 0) this.checkStartLinePrefix(origin, buf.length);
				this.scanFrom = buf.length - origin;
				return false;
			}
			if (lf + 1 - origin > this.limits.maxHeadBytes) this.tooLarge();
			const from = origin + this.lineStart;
			let end = lf;
			if (end > from && buf[end - 1] === CR) end--;
			this.scanFrom = lf + 1 - origin;
			this.lineStart = this.scanFrom;
			if (end === from) {
				// The empty line: the head is complete.
				this.headLength = this.scanFrom;
				this.start = lf + 1;
				const plain = plainHead(text(buf.subarray(origin, lf + 1)), this.mode);
				if (plain !== null) this.adoptHead(plain, origin);
				else this.interpretHead(origin);
				return true;
			}
			if (this.lines.length === 0) this.checkStartLinePrefix(origin, end);
			this.lines.push(from - origin, end - origin);
		}
	}

	/** Rejects a start line early when its first bytes cannot begin a valid one (binary, TLS). */
	private checkStartLinePrefix(from: number, to: number): void {
		const buf = this.buffer;
		const limit = Math.min(to, from + 16);
		for (let i = from; i < limit; i++) {
			const c = buf[i];
			if (c === SP) return;
			if (c === CR && i + 1 === to) return;
			if (c >= 128 || TCHAR[c] !== 1) {
				if (this.mode === 'response' && c === 0x2f) continue; // the '/' in HTTP/1.1
				this.fail(
					'HTCPCP_ERR_START_LINE',
					`byte 0x${c.toString(16).padStart(2, '0')} cannot appear in a ${this.mode === 'request' ? 'method' : 'version'}`,
					this.base + i
				);
			}
		}
	}

	private tooLarge(): never {
		this.fail(
			'HTCPCP_ERR_HEAD_TOO_LARGE',
			`the start line and headers exceed ${this.limits.maxHeadBytes} bytes`,
			this.messageStart + this.limits.maxHeadBytes
		);
	}

	private interpretHead(origin: number): void {
		const buf = this.buffer;
		if (this.lines.length === 0) this.fail('HTCPCP_ERR_START_LINE', 'missing start line', this.messageStart);
		const lines = this.lines;
		const s0 = origin + lines[0];
		const e0 = origin + lines[1];
		const startLine = isAscii(buf, s0, e0) ? internedText(buf, s0, e0) : strictText(buf.subarray(s0, e0));
		if (startLine === null) {
			this.fail('HTCPCP_ERR_INVALID_UTF8', 'the start line is not valid UTF-8', this.base + s0);
		}
		const head = this.mode === 'request' ? requestLine(startLine, this.base, s0) : statusLine(startLine, this.base, s0);
		for (let i = 2; i < lines.length; i += 2) {
			head.headers.push(headerLine(buf, origin + lines[i], origin + lines[i + 1], this.base));
		}
		this.adoptHead(head, origin);
	}

	/**
	 * The fast path for a head that is already all here: one decode, one
	 * pattern test and a split (see `plainHead`). Returns false, having changed
	 * nothing, when the head is incomplete, too long or not of the plain shape;
	 * the line-by-line path then takes over and reports any error exactly.
	 */
	private plainHeadAt(origin: number): boolean {
		const buf = this.buffer;
		const reach = Math.min(buf.length - origin, this.limits.maxHeadBytes);
		let window = Math.min(reach, HEAD_WINDOW);
		let decoded = text(buf.subarray(origin, origin + window));
		let end = decoded.indexOf('\r\n\r\n');
		if (end === -1 && window < reach) {
			window = reach;
			decoded = text(buf.subarray(origin, origin + window));
			end = decoded.indexOf('\r\n\r\n');
		}
		if (end === -1) return false;
		// `plainHead` accepts ASCII only, so characters and bytes line up.
		const head = plainHead(decoded.slice(0, end + 4), this.mode);
		if (head === null) return false;
		this.headLength = end + 4;
		this.start = origin + end + 4;
		this.adoptHead(head, origin);
		return true;
	}

	/** Takes a parsed head: resets the line scan and decides how the body is framed. */
	private adoptHead(head: PartialHead, origin: number): void {
		this.head = head;
		this.lines = [];
		this.scanFrom = 0;
		this.lineStart = 0;
		const { framing, length } = chooseFraming(head, this.base + origin, this.limits.maxBodyBytes, this.isResponseToHead);
		this.framing = framing;
		this.remaining = length;
		this.state = BODY_STATE[framing];
		if (framing === 'length' && length === 0) this.state = State.Head;
	}

	private parseChunkSize(): boolean {
		const line = this.takeLine(1024);
		if (line === null) return false;
		const raw = text(this.buffer.subarray(line[0], line[1]));
		const size = raw.split(';')[0].trim();
		if (!HEX_RE.test(size) || size.length > 12) {
			this.fail('HTCPCP_ERR_CHUNK', `"${size.slice(0, 20)}" is not a chunk size`, this.base + line[0]);
		}
		const n = parseInt(size, 16);
		if (this.bodySize + n > this.limits.maxBodyBytes) this.bodyTooLarge(this.base + line[0]);
		if (n === 0) {
			this.state = State.Trailers;
			this.trailerBytes = 0;
			this.trailerStart = this.offset;
		} else {
			this.remaining = n;
			this.state = State.ChunkData;
		}
		return true;
	}

	private parseTrailers(): boolean {
		const max = this.limits.maxHeadBytes;
		for (;;) {
			const lf = this.buffer.indexOf(LF, this.start);
			const lineBytes = lf === -1 ? this.buffer.length - this.start : lf + 1 - this.start;
			if (this.trailerBytes + lineBytes > max) {
				this.fail(
					'HTCPCP_ERR_HEAD_TOO_LARGE',
					`the trailer fields exceed ${max} bytes`,
					this.trailerStart + max
				);
			}
			if (lf === -1) return false;
			let end = lf;
			if (end > this.start && this.buffer[end - 1] === CR) end--;
			const s = this.start;
			this.start = lf + 1;
			this.trailerBytes += lineBytes;
			if (end === s) return true;
			this.trailers.push(headerLine(this.buffer, s, end, this.base));
		}
	}

	/** `part` starts at `this.start`; call before consuming it. */
	private addBody(part: Uint8Array): void {
		const before = this.bodySize;
		this.bodySize += part.length;
		if (this.bodySize > this.limits.maxBodyBytes) this.bodyTooLarge(this.offset + this.limits.maxBodyBytes - before);
		// A view, not a copy (see the class comment); `complete` joins split bodies.
		this.bodyParts.push(part);
	}

	private bodyTooLarge(at: number): never {
		this.fail('HTCPCP_ERR_BODY_TOO_LARGE', `the body exceeds ${this.limits.maxBodyBytes} bytes`, at);
	}

	private complete(): HttpMessage {
		const head = this.head as PartialHead;
		const parts = this.bodyParts;
		const body = parts.length === 0 ? EMPTY_BODY() : parts.length === 1 ? parts[0] : concatBytes(parts);
		const end = this.base + this.start;
		// Two fixed shapes (request, response) keep property access monomorphic downstream.
		const message: HttpMessage =
			head.kind === 'request'
				? {
						kind: head.kind,
						protocol: head.protocol,
						versionMajor: head.versionMajor,
						versionMinor: head.versionMinor,
						method: head.method as string,
						target: head.target as string,
						headers: head.headers,
						trailers: this.trailers,
						body,
						framing: this.framing,
						offset: this.messageStart,
						headLength: this.headLength,
						length: end - this.messageStart
					}
				: {
						kind: head.kind,
						protocol: head.protocol,
						versionMajor: head.versionMajor,
						versionMinor: head.versionMinor,
						status: head.status as number,
						reason: head.reason as string,
						headers: head.headers,
						trailers: this.trailers,
						body,
						framing: this.framing,
						offset: this.messageStart,
						headLength: this.headLength,
						length: end - this.messageStart
					};
		this.head = null;
		this.bodyParts = [];
		this.bodySize = 0;
		this.trailers = [];
		this.framing = 'none';
		this.state = State.Head;
		this.scanFrom = 0;
		this.lineStart = 0;
		this.messageStart = end;
		return message;
	}

	private fail(code: Parameters<typeof protocolError>[0], message: string, offset: number): never {
		throw protocolError(code, message, offset);
	}
}

/** A fresh empty body (not shared: callers may keep or wrap it). */
const EMPTY_BODY = (): Uint8Array => new Uint8Array(0);

