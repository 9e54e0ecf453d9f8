/**
 * Everything the taps saw, appended to a file under the data folder as it
 * happens, so a capture download covers the whole session without keeping
 * every byte in memory. One record per TrafficEvent:
 *
 *   u32 (big-endian) header length | header (JSON, the event without bytes) | payload bytes
 *
 * The header's `n` is the payload length (0 for events without bytes).
 * The same records, packed into one buffer per event-loop turn, are what the
 * relay hands to the analysis worker: the file gets one write per turn and the
 * worker one message.
 */

import fs from 'node:fs';
import path from 'node:path';
import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';

/** The event without its bytes, as the record header stores it. */
function header(event: TrafficEvent): string {
	if (event.type !== 'data') return JSON.stringify({ ...event, n: 0 });
	return JSON.stringify({ type: 'data', conn: event.conn, timeUs: event.timeUs, from: event.from, n: event.bytes.length });
}

/**
 * Packs events into records, back to back, in a buffer of their own (not a
 * slice of Node's shared pool, so posting it to a worker copies only these bytes).
 */
export function encodeRecords(events: readonly TrafficEvent[]): Buffer {
	const heads: string[] = new Array(events.length);
	const headLengths: number[] = new Array(events.length);
	let total = 0;
	for (let i = 0; i < events.length; i++) {
		const event = events[i];
		const head = header(event);
		heads[i] = head;
		headLengths[i] = Buffer.byteLength(head);
		total += 4 + headLengths[i] + (event.type === 'data' ? event.bytes.length : 0);
	}
	const out = Buffer.allocUnsafeSlow(total);
	let at = 0;
	for (let i = 0; i < events.length; i++) {
		const event = events[i];
		out.writeUInt32BE(headLengths[i], at);
		at += 4;
		at += out.write(heads[i], at, 'utf8');
		if (event.type === 'data') {
			out.set(event.bytes, at);
			at += event.bytes.length;
		}
	}
	return out;
}

/** Reads packed records back; data events' bytes are views into `packed`. */
export function decodeRecords(packed: Uint8Array): TrafficEvent[] {
	const view = Buffer.from(packed.buffer, packed.byteOffset, packed.length);
	const events: TrafficEvent[] = [];
	let at = 0;
	while (at + 4 <= view.length) {
		const headerLength = view.readUInt32BE(at);
		at += 4;
		const { n, ...event } = JSON.parse(view.toString('utf8', at, at + headerLength)) as TrafficEvent & { n: number };
		at += headerLength;
		if (event.type === 'data') (event as { bytes: Uint8Array }).bytes = packed.subarray(at, at + n);
		at += n;
		events.push(event as TrafficEvent);
	}
	return events;
}

export class Spool {
	readonly file: string;
	private readonly out: fs.WriteStream;
	private pending = 0;
	private closed = false;
	/** Bytes appended so far (what a reader may safely read up to once `settle` resolves). */
	private written = 0;

	constructor(dir: string) {
		fs.mkdirSync(dir, { recursive: true });
		const stamp = new Date().toISOString().replace(/[:.]/g, '-');
		this.file = path.join(dir, `session-${stamp}-${process.pid}.events`);
		this.out = fs.createWriteStream(this.file, { flags: 'wx' });
		this.out.on('error', () => {
			/* a full disk must not end the relay; downloads then stop at what was written */
		});
	}

	/** Appends records made by `encodeRecords` with one write. */
	appendRecords(records: Buffer): void {
		if (this.closed || records.length === 0) return;
		this.pending += 1;
		this.written += records.length;
		this.out.write(records, () => (this.pending -= 1));
	}

	append(event: TrafficEvent): void {
		this.appendRecords(encodeRecords([event]));
	}

	/** Resolves once every appended record is in the file; returns the file's length then. */
	settle(): Promise<number> {
		const size = this.written;
		if (this.pending === 0) return Promise.resolve(size);
		return new Promise((resolve) => this.out.write(Buffer.alloc(0), () => resolve(size)));
	}

	close(): Promise<void> {
		if (this.closed) return Promise.resolve();
		this.closed = true;
		return new Promise((resolve) => this.out.end(() => resolve()));
	}
}

/** Reads a spool file back as events, up to `limit` bytes (a settled length). */
export async function* readSpool(file: string, limit: number): AsyncGenerator<TrafficEvent> {
	const handle = await fs.promises.open(file, 'r');
	try {
		let at = 0;
		const prefix = Buffer.alloc(4);
		while (at + 4 <= limit) {
			await handle.read(prefix, 0, 4, at);
			const headerLength = prefix.readUInt32BE(0);
			const header = Buffer.alloc(headerLength);
			await handle.read(header, 0, headerLength, at + 4);
			const head = JSON.parse(header.toString('utf8')) as TrafficEvent & { n: number };
			const { n, ...event } = head;
			at += 4 + headerLength;
			if (event.type === 'data') {
				const bytes = new Uint8Array(n);
				await handle.read(bytes, 0, n, at);
				(event as { bytes: Uint8Array }).bytes = bytes;
			}
			at += n;
			yield event as TrafficEvent;
		}
	} finally {
		await handle.close();
	}
}
