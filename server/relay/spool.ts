/**
 * Everything the taps saw, appended to a file under the data folder as it
 * happens, so a capture download covers the whole session without keeping
 * every byte in memory. One record per TrafficEvent:
 *
 *   u32 (big-endian) header length | header (JSON, the event without bytes) | payload bytes
 *
 * The header's `n` is the payload length (0 for events without bytes).
 */

import fs from 'node:fs';
import path from 'node:path';
import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';

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

	append(event: TrafficEvent): void {
		if (this.closed) return;
		const { bytes, ...head } = event.type === 'data' ? event : { ...event, bytes: undefined };
		const header = Buffer.from(JSON.stringify({ ...head, n: bytes?.length ?? 0 }));
		const prefix = Buffer.alloc(4);
		prefix.writeUInt32BE(header.length);
		const record = bytes ? Buffer.concat([prefix, header, bytes]) : Buffer.concat([prefix, header]);
		this.pending += 1;
		this.written += record.length;
		this.out.write(record, () => (this.pending -= 1));
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
