/**
 * The spool's record format, both ways: the packed buffer a batch becomes
 * (what the analysis worker reads) and the file a capture download reads.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';
import { decodeRecords, encodeRecords, readSpool, Spool } from './spool';

const events: TrafficEvent[] = [
	{ type: 'open', conn: 1, timeUs: 10, label: 'browser → web app', client: { address: '127.0.0.1', port: 5000 }, server: { address: '127.0.0.1', port: 8080 } },
	{ type: 'data', conn: 1, timeUs: 11, from: 'client', bytes: Buffer.from('BREW coffee://ducky HTTP/1.1\r\n\r\n') },
	{ type: 'data', conn: 1, timeUs: 12, from: 'server', bytes: new Uint8Array(0) },
	{ type: 'end', conn: 1, timeUs: 13, from: 'client' },
	{ type: 'reset', conn: 1, timeUs: 14, from: 'server' },
	{ type: 'close', conn: 1, timeUs: 15 }
];

/** Events with plain Uint8Array bytes, so Buffers and views compare equal. */
function plain(list: readonly TrafficEvent[]): unknown[] {
	return list.map((e) => (e.type === 'data' ? { ...e, bytes: [...e.bytes] } : e));
}

describe('spool records', () => {
	it('decodes a packed batch into the same events, in order', () => {
		const packed = encodeRecords(events);
		expect(plain(decodeRecords(packed))).toEqual(plain(events));
		expect(decodeRecords(encodeRecords([]))).toEqual([]);
	});

	it('reads back from the file what batches appended', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-test-'));
		try {
			const spool = new Spool(dir);
			spool.appendRecords(encodeRecords(events.slice(0, 2)));
			spool.append(events[2]);
			spool.appendRecords(encodeRecords(events.slice(3)));
			const size = await spool.settle();
			expect(size).toBe(fs.statSync(spool.file).size);
			const read: TrafficEvent[] = [];
			for await (const event of readSpool(spool.file, size)) read.push(event);
			expect(plain(read)).toEqual(plain(events));
			await spool.close();
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
