/**
 * What one direction of a TCP stream carries: HTTP/HTCPCP messages (parsed by
 * the shared MessageParser), TLS records, or bytes we cannot read. The choice
 * is made from the first bytes, on any port: a TLS record header, a status
 * line's `HTTP/` or `HTCPCP/`, or a request method followed by a space.
 *
 * When parsing fails (or the capture started in the middle of a message) the
 * direction is "lost" until a segment starts with something that looks like a
 * new message, where a fresh parser picks up: the same way Wireshark marks
 * such bytes "Continuation" and finds its feet again.
 */

import { concatBytes, latin1 } from '../bytes';
import { HTCPCP_METHODS, HTTP_METHODS } from '../constants';
import type { HttpMessage } from '../message';
import { MessageParser } from '../parser';
import { ProtocolError } from '../errors';
import { looksLikeTls, TlsStream, type ParsedRecord } from './tls';

export type StreamKind = 'pending' | 'http' | 'tls' | 'lost';

export type DecodedUnit =
	| { kind: 'message'; message: HttpMessage }
	| { kind: 'tls'; record: ParsedRecord };

export interface StreamProblem {
	offset: number;
	message: string;
}

const METHODS = new Set<string>([...HTTP_METHODS, ...HTCPCP_METHODS, 'PROPFIND']);
const STATUS_START = /^(HTTP|HTCPCP)\/\d/;
const REQUEST_START = /^([A-Z]{3,10}) \S/;
/** Bytes needed before deciding what a direction carries. */
const SNIFF_BYTES = 8;

/** The common answer "nothing completed": shared, never written to. */
const NOTHING: DecodedUnit[] = [];

export type StartKind = 'request' | 'response' | 'tls' | null;

/** What a message boundary starting with these bytes would be, if any. */
export function startKind(b: Uint8Array): StartKind {
	if (looksLikeTls(b)) return 'tls';
	const head = latin1(b.subarray(0, 16));
	if (STATUS_START.test(head)) return 'response';
	const m = REQUEST_START.exec(head);
	if (m && METHODS.has(m[1])) return 'request';
	return null;
}

export interface StreamDecoderOptions {
	/** For a response parser: does the response now starting answer a HEAD request? */
	isResponseToHead?: () => boolean;
}

export class StreamDecoder {
	kind: StreamKind = 'pending';
	mode: 'request' | 'response' | null = null;
	problems: StreamProblem[] = [];
	private sniff: Uint8Array = new Uint8Array(0);
	private sniffOffset = 0;
	private parser: MessageParser | null = null;
	/** Stream offset where the current parser's byte 0 sits. */
	private parserBase = 0;
	tls: TlsStream | null = null;

	constructor(private readonly options: StreamDecoderOptions = {}, private readonly onTls13?: () => void) {}

	/** True while a message has started but not completed. */
	get midMessage(): boolean {
		return this.kind === 'http' && this.parser !== null && this.parser.midMessage;
	}

	get awaitingIdleBody(): boolean {
		return this.parser?.awaitingIdleBody ?? false;
	}

	push(offset: number, bytes: Uint8Array): DecodedUnit[] {
		if (this.kind === 'pending') {
			if (this.sniff.length === 0) this.sniffOffset = offset;
			this.sniff = this.sniff.length === 0 ? bytes : concatBytes([this.sniff, bytes]);
			if (this.sniff.length < SNIFF_BYTES) return [];
			const all = this.sniff;
			this.sniff = new Uint8Array(0);
			return this.begin(this.sniffOffset, all, true);
		}
		if (this.kind === 'lost') return this.begin(offset, bytes, false);
		if (this.kind === 'tls') return this.pushTls(offset, bytes);
		return this.pushHttp(bytes);
	}

	/** The other direction started talking: an idle-delimited body has ended. */
	endIdle(): DecodedUnit[] {
		if (!this.parser || !this.parser.awaitingIdleBody) return NOTHING;
		return this.guard(() => (this.parser as MessageParser).endIdleBody());
	}

	/** This direction ended (FIN delivered, or the capture ended). */
	finish(captureEnded = false): DecodedUnit[] {
		if (this.kind === 'pending' && this.sniff.length > 0) {
			const all = this.sniff;
			this.sniff = new Uint8Array(0);
			const out = this.begin(this.sniffOffset, all, true);
			return out.concat(this.finish(captureEnded));
		}
		if (this.kind !== 'http' || !this.parser) return [];
		const parser = this.parser;
		if (captureEnded && parser.midMessage && !parser.awaitingClose && !parser.awaitingIdleBody) {
			this.problems.push({ offset: parser.offset + this.parserBase, message: 'the capture ends in the middle of a message' });
			return [];
		}
		return this.guard(() => parser.finish());
	}

	private begin(offset: number, bytes: Uint8Array, first: boolean): DecodedUnit[] {
		const kind = startKind(bytes);
		if (kind === 'tls') {
			this.kind = 'tls';
			this.tls = this.tls ?? new TlsStream(this.onTls13);
			return this.pushTls(offset, bytes);
		}
		if (kind === 'request' || kind === 'response') {
			this.kind = 'http';
			this.mode = kind;
			this.parser = new MessageParser(kind, {
				isResponseToHead: this.options.isResponseToHead,
				// The analyzer reads what was sent; the servers' own limits do not apply to a capture.
				maxBodyBytes: 256 * 1024 * 1024,
				maxHeadBytes: 1024 * 1024
			});
			this.parserBase = offset;
			return this.pushHttp(bytes);
		}
		if (first) {
			this.problems.push({
				offset,
				message: 'data that does not start a message (the capture began mid-message, or it is not HTTP, HTCPCP or TLS)'
			});
		}
		this.kind = 'lost';
		return [];
	}

	private pushHttp(bytes: Uint8Array): DecodedUnit[] {
		const parser = this.parser as MessageParser;
		let messages: HttpMessage[];
		try {
			messages = parser.push(bytes);
		} catch (e) {
			return this.lost(e);
		}
		if (messages.length === 0) return NOTHING;
		const out: DecodedUnit[] = [];
		for (const m of messages) out.push({ kind: 'message', message: this.shift(m) });
		return out;
	}

	private guard(run: () => HttpMessage[]): DecodedUnit[] {
		try {
			return run().map((m) => ({ kind: 'message' as const, message: this.shift(m) }));
		} catch (e) {
			return this.lost(e);
		}
	}

	/** The parser failed: note where and why, and wait for something that starts a message. */
	private lost(e: unknown): DecodedUnit[] {
		if (!(e instanceof ProtocolError)) throw e;
		this.problems.push({ offset: e.offset + this.parserBase, message: `${e.code}: ${e.message}` });
		this.kind = 'lost';
		this.parser = null;
		return [];
	}

	private shift(m: HttpMessage): HttpMessage {
		if (this.parserBase !== 0) m.offset += this.parserBase;
		return m;
	}

	private pushTls(offset: number, bytes: Uint8Array): DecodedUnit[] {
		const tls = this.tls as TlsStream;
		const records = tls.push(offset, bytes);
		if (tls.failure) {
			this.problems.push({ offset, message: tls.failure });
			this.kind = 'lost';
			this.tls = null;
		}
		return records.map((record) => ({ kind: 'tls' as const, record }));
	}
}
