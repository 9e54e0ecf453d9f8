/**
 * The live analyzer for the relay's tap: TrafficEvents in, the same model a
 * capture file gives out. Each event is turned into the synthetic TCP frames
 * the capture writer would write (same numbering), and those frames go
 * through the same engine, so the browser sees the frame numbers that the
 * downloaded pcapng will show in Wireshark.
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

export class TrafficAnalyzer {
	private readonly synth: TcpSynthesizer;
	private readonly engine = new CaptureAnalyzer();
	private frameCount = 0;

	/** Use the same options as the capture writer so frame numbers line up. */
	constructor(options: SynthOptions = {}) {
		this.synth = new TcpSynthesizer(options);
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
			update.messages.push(...r.messages);
			update.tlsRecords.push(...r.tlsRecords);
		}
		this.settle(update);
		return update;
	}

	/** Nothing more will come: completes what waits for a close. */
	finish(): AnalysisUpdate {
		const r = this.engine.finish();
		const update: AnalysisUpdate = { frames: [], messages: r.messages, tlsRecords: r.tlsRecords, changed: [] };
		this.settle(update);
		return update;
	}

	/** Everything so far, as a capture analysis. */
	snapshot(): CaptureAnalysis {
		return this.engine.result();
	}

	private settle(update: AnalysisUpdate): void {
		const a = this.engine.result();
		const fresh = new Set(update.frames.map((f) => f.number));
		const touched = new Set<number>();
		for (const m of update.messages) for (const n of m.frames) touched.add(n);
		for (const r of update.tlsRecords) for (const n of r.frames) touched.add(n);
		for (const f of update.frames) summarizeFrame(f, a.messages, a.tlsRecords);
		for (const n of touched) {
			if (fresh.has(n)) continue;
			const f = a.frames[n - 1];
			summarizeFrame(f, a.messages, a.tlsRecords);
			update.changed.push(f);
		}
	}
}
