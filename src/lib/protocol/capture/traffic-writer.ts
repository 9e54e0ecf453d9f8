/**
 * The relay's capture writer: TrafficEvents in, pcapng blocks out, ready to
 * append to a file that Wireshark and tshark open.
 */

import type { TrafficEvent } from '../analysis/events';
import { concatBytes } from '../bytes';
import { LINKTYPE_NULL } from './link';
import { PcapngWriter } from './pcapng-writer';
import { TcpSynthesizer, type SynthOptions } from './synth';

export interface TrafficWriterOptions extends SynthOptions {
	/** Extra section comments (the session, the student...). */
	comments?: string[];
}

export const TUTOR_NAME = 'HTCPCP lab tutor';

export class TrafficCaptureWriter {
	private readonly writer: PcapngWriter;
	private readonly synth: TcpSynthesizer;
	/** Frames written so far: the last frame's Wireshark number. */
	frames = 0;

	constructor(options: TrafficWriterOptions = {}) {
		this.synth = new TcpSynthesizer(options);
		this.writer = new PcapngWriter({
			linkType: LINKTYPE_NULL,
			interfaceName: 'lo0',
			interfaceDescription: `${TUTOR_NAME} relay tap: synthetic TCP rebuilt from the bytes each side sent`,
			application: TUTOR_NAME,
			comments: [
				`Written by the ${TUTOR_NAME}. Payload bytes and timestamps are real; the TCP and IP headers around them are synthesized on loopback.`,
				...(options.comments ?? [])
			]
		});
	}

	/** The first bytes of the file. */
	header(): Uint8Array {
		return concatBytes(this.writer.header());
	}

	/** The blocks one event adds (possibly empty). */
	push(event: TrafficEvent): Uint8Array {
		const packets = this.synth.push(event);
		this.frames += packets.length;
		return concatBytes(packets.map((p) => this.writer.packet(p.timeUs, p.frame, p.comment)));
	}
}

/** A whole capture file from a list of events. */
export function writeTrafficCapture(events: Iterable<TrafficEvent>, options: TrafficWriterOptions = {}): Uint8Array {
	const w = new TrafficCaptureWriter(options);
	const parts = [w.header()];
	for (const e of events) parts.push(w.push(e));
	return concatBytes(parts);
}
