/**
 * The live analyzer for the relay's tap: TrafficEvents in, the same model a
 * capture file gives out. Each event is turned into the synthetic TCP frames
 * the capture writer would write (same numbering), and those frames go
 * through the same engine, so the browser sees the frame numbers that the
 * downloaded pcapng will show in Wireshark.
 *
 * A relay runs for hours, so the history is bounded: only the newest
 * `maxFrames` frames are kept (with the messages and TLS records shown on
 * them, and the connections still in use). Older entries are forgotten; the
 * snapshot's lists keep their numbering (frame n at index n - 1, message id
 * at index id), so forgotten entries are empty slots. `droppedFrames` counts them.
 */

import { TcpSynthesizer, type SynthOptions } from '../capture/synth';
import { LINKTYPE_NULL } from '../capture/link';
import { CaptureAnalyzer } from './engine';
import { summarizeFrame } from './frames';
import type { TrafficEvent } from './events';
import type { AnalyzedMessage, CaptureAnalysis, FrameInfo, TlsRecordInfo } from './model';

export interface AnalysisUpdate {
	/** New frames, already summarized. */
	frames: FrameInfo[];
	/** Messages completed by this event (each says which frames carried it). */
	messages: AnalyzedMessage[];
	tlsRecords: TlsRecordInfo[];
	/** Earlier frames whose protocol/summary changed (a message completed on them). */
	changed: FrameInfo[];
}

export interface TrafficAnalyzerOptions extends SynthOptions {
	/**
	 * How many of the newest frames to keep (default 20,000; Infinity keeps
	 * everything). Older frames are dropped as new ones arrive.
	 */
	maxFrames?: number;
	/**
	 * Whether to write each frame's protocol and summary line, which only a
	 * frame list shows (default true). The relay turns it off: it sends
	 * messages, and pages that list frames analyse the traffic themselves.
	 */
	summaries?: boolean;
}

export const DEFAULT_MAX_FRAMES = 20_000;

export class TrafficAnalyzer {
	private readonly synth: TcpSynthesizer;
	private readonly engine = new CaptureAnalyzer();
	private frameCount = 0;
	private readonly maxFrames: number;
	private readonly summaries: boolean;
	private dropped = 0;
	private sinceSweep = 0;

	/** Use the same options as the capture writer so frame numbers line up. */
	constructor(options: TrafficAnalyzerOptions = {}) {
		this.synth = new TcpSynthesizer(options);
		this.summaries = options.summaries ?? true;
		const max = options.maxFrames ?? DEFAULT_MAX_FRAMES;
		this.maxFrames = Number.isNaN(max) ? DEFAULT_MAX_FRAMES : Math.max(1, Math.floor(max));
	}

	/** Frames forgotten so far (the oldest ones). */
	get droppedFrames(): number {
		return this.dropped;
	}

	/** Frames currently held (at most `maxFrames`). */
	get retainedFrames(): number {
		return this.frameCount - this.dropped;
	}

	/** Frame `number`, if it is still held. */
	frame(number: number): FrameInfo | undefined {
		return this.engine.frames[number - 1];
	}

	push(event: TrafficEvent): AnalysisUpdate {
		const update: AnalysisUpdate = { frames: [], messages: [], tlsRecords: [], changed: [] };
		for (const p of this.synth.push(event)) {
			const r = this.engine.addPacket({
				number: ++this.frameCount,
				seconds: Math.floor(p.timeUs / 1e6),
				nanos: (p.timeUs % 1e6) * 1000,
				length: p.frame.length,
				capturedLength: p.frame.length,
				linkType: LINKTYPE_NULL,
				interfaceName: 'lo0',
				data: p.frame,
				comments: p.comment ? [p.comment] : []
			});
			if (r.frame) update.frames.push(r.frame);
			for (const m of r.messages) update.messages.push(m);
			for (const t of r.tlsRecords) update.tlsRecords.push(t);
		}
		this.settle(update);
		this.trim();
		return update;
	}

	/** Nothing more will come: completes what waits for a close. */
	finish(): AnalysisUpdate {
		const r = this.engine.finish();
		const update: AnalysisUpdate = { frames: [], messages: r.messages, tlsRecords: r.tlsRecords, changed: [] };
		this.settle(update);
		return update;
	}

	/** Everything still held, as a capture analysis (see the file comment on forgotten entries). */
	snapshot(): CaptureAnalysis {
		return this.engine.result();
	}

	/** Drops the oldest frames past the cap; closed connections are swept every 1/8 of the cap. */
	private trim(): void {
		if (this.retainedFrames <= this.maxFrames) return;
		const keepFrom = this.frameCount - this.maxFrames + 1;
		this.sinceSweep += keepFrom - 1 - this.dropped;
		const sweep = this.sinceSweep >= Math.max(1, Math.floor(this.maxFrames / 8));
		if (sweep) this.sinceSweep = 0;
		this.engine.dropBefore(keepFrom, sweep);
		this.dropped = keepFrom - 1;
	}

	private settle(update: AnalysisUpdate): void {
		if (!this.summaries) return;
		const a = this.engine.result();
		for (const f of update.frames) summarizeFrame(f, a.messages, a.tlsRecords);
		if (update.messages.length === 0 && update.tlsRecords.length === 0) return;
		const fresh = new Set<number>();
		for (const f of update.frames) fresh.add(f.number);
		const touched = new Set<number>();
		for (const m of update.messages) for (const n of m.frames) touched.add(n);
		for (const r of update.tlsRecords) for (const n of r.frames) touched.add(n);
		for (const n of touched) {
			if (fresh.has(n)) continue;
			const f = a.frames[n - 1];
			if (f === undefined) continue;
			summarizeFrame(f, a.messages, a.tlsRecords);
			update.changed.push(f);
		}
	}
}
