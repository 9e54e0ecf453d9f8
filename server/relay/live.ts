/**
 * The wire analysis, live: TrafficEvents go into the shared analyzer
 * (src/lib/protocol/analysis/live.ts, the same engine that reads capture
 * files) and every message or TLS record it completes comes out as a
 * `message` for the pages, with the tap's connection, ports and label.
 * Parsing and framing happen there; this file only reshapes the result.
 */

import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';
import { messageSummary, tlsSummary } from '../../src/lib/protocol/analysis/frames';
import { TrafficAnalyzer } from '../../src/lib/protocol/analysis/live';
import type { AnalyzedMessage, FrameInfo, TlsRecordInfo } from '../../src/lib/protocol/analysis/model';
import { startLine, versionString, type HttpMessage } from '../../src/lib/protocol/index';
import { MAX_BODY_SHOWN, RELAY_PROTOCOL_VERSION, type TrafficMessage } from '../../src/lib/relay-protocol/index';
import { annotate } from './annotate';

type OpenEvent = Extract<TrafficEvent, { type: 'open' }>;

const decoder = new TextDecoder('utf-8', { fatal: false });

/** Turns events into page messages; runs wherever it is put (see analysis-worker.ts). */
export class LiveMessages {
	// No frame summaries: pages that list frames analyse the raw events themselves.
	private readonly analyzer = new TrafficAnalyzer({ summaries: false });
	/** Open events in the order they reached the analyzer: stream n is the n-th open. */
	private readonly opens: OpenEvent[] = [];
	private broken = false;

	constructor(private readonly emit: (message: TrafficMessage) => void) {}

	push(event: TrafficEvent): void {
		if (this.broken) return;
		if (event.type === 'open') this.opens.push(event);
		let update;
		try {
			update = this.analyzer.push(event);
		} catch (error) {
			// The analysis must never take the tap down with it: stop analysing, keep relaying.
			this.broken = true;
			process.stderr.write(`relay: the traffic analysis stopped (${(error as Error).message}); the tap and the capture go on\n`);
			return;
		}
		if (update.messages.length === 0 && update.tlsRecords.length === 0) return;
		const frames = this.analyzer.snapshot().frames;
		const items: { frame: number; out: TrafficMessage }[] = [];
		for (const m of update.messages) {
			const out = this.fromMessage(m, frames);
			if (out) items.push({ frame: m.frame, out });
		}
		for (const r of update.tlsRecords) {
			const out = this.fromRecord(r, frames);
			if (out) items.push({ frame: r.frame, out });
		}
		// In wire order, whichever kind they are.
		items.sort((a, b) => a.frame - b.frame);
		for (const item of items) this.emit(item.out);
	}

	close(): void {
		this.broken = true;
	}

	private where(stream: number, direction: 0 | 1, frame: FrameInfo | undefined) {
		const open = this.opens[stream];
		if (!open) return null;
		return {
			conn: open.conn,
			from: direction === 0 ? ('client' as const) : ('server' as const),
			...(open.label ? { label: open.label } : {}),
			client: { ...open.client },
			server: { ...open.server },
			timeUs: frame ? frame.seconds * 1_000_000 + Math.floor(frame.nanos / 1000) : open.timeUs
		};
	}

	private fromMessage(m: AnalyzedMessage, frames: readonly FrameInfo[]): TrafficMessage | null {
		const where = this.where(m.stream, m.direction, frames[m.frame - 1]);
		if (!where) return null;
		const msg = m.message;
		return {
			v: RELAY_PROTOCOL_VERSION,
			type: 'message',
			id: m.id,
			...where,
			frames: [...m.frames],
			summary: messageSummary(m),
			...(m.answers !== undefined ? { answers: m.answers } : {}),
			http: {
				kind: msg.kind,
				protocol: msg.protocol,
				version: versionString(msg),
				startLine: startLine(msg),
				...(msg.method !== undefined ? { method: msg.method } : {}),
				...(msg.target !== undefined ? { target: msg.target } : {}),
				...(msg.status !== undefined ? { status: msg.status } : {}),
				...(msg.reason !== undefined ? { reason: msg.reason } : {}),
				headers: msg.headers.map((h) => ({ name: h.name, value: h.value })),
				body: decoder.decode(msg.body.subarray(0, MAX_BODY_SHOWN)),
				bodyLength: msg.body.length,
				framing: msg.framing,
				length: msg.length
			},
			...annotate(m, this.request(m))
		};
	}

	private fromRecord(r: TlsRecordInfo, frames: readonly FrameInfo[]): TrafficMessage | null {
		const where = this.where(r.stream, r.direction, frames[r.frame - 1]);
		if (!where) return null;
		return {
			v: RELAY_PROTOCOL_VERSION,
			type: 'message',
			id: r.id,
			...where,
			frames: [...r.frames],
			summary: tlsSummary(r),
			tls: {
				contentType: r.contentTypeName,
				recordVersion: r.recordVersion,
				encrypted: r.encrypted,
				...(r.why ? { why: r.why } : {}),
				handshakes: r.handshakes.map((h) => (h.serverName ? `${h.name} (SNI=${h.serverName})` : h.name)),
				length: r.length
			}
		};
	}

	/** For a response, the request it answers (its explanation depends on it). */
	private request(m: AnalyzedMessage): HttpMessage | undefined {
		if (m.answers === undefined) return undefined;
		return this.analyzer.snapshot().messages[m.answers]?.message;
	}
}
