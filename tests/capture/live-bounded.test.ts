/**
 * The live analyzer behind the relay keeps a bounded history: after a lot of
 * traffic it holds at most `maxFrames` frames (the newest), forgets the
 * messages and finished connections that lived on older frames, counts what
 * it dropped, and still turns new traffic into messages.
 */

import { describe, expect, it } from 'vitest';
import { TrafficAnalyzer, DEFAULT_MAX_FRAMES } from '../../src/lib/protocol/analysis/live';
import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';
import { serializeRequest, serializeResponse, startLine, withLength } from '../../src/lib/protocol/index';

/** One connection: `count` GET exchanges with bodies of a few kilobytes, then a close. */
function connection(conn: number, count: number, t0: number): TrafficEvent[] {
	const events: TrafficEvent[] = [
		{ type: 'open', conn, timeUs: t0, client: { address: '127.0.0.1', port: 40000 + conn }, server: { address: '127.0.0.1', port: 5173 } }
	];
	for (let k = 0; k < count; k++) {
		const body = `<p>page ${conn}.${k}</p>\n`.repeat(100 + ((conn * 7 + k) % 200));
		events.push({
			type: 'data',
			conn,
			timeUs: t0 + 10 + k * 20,
			from: 'client',
			bytes: serializeRequest({ method: 'GET', target: `/page/${conn}/${k}`, headers: [{ name: 'Host', value: 'localhost:5173' }] })
		});
		events.push({
			type: 'data',
			conn,
			timeUs: t0 + 20 + k * 20,
			from: 'server',
			bytes: serializeResponse({ version: 'HTTP/1.1', status: 200, headers: withLength([{ name: 'Content-Type', value: 'text/html' }], body), body })
		});
	}
	events.push({ type: 'close', conn, timeUs: t0 + 20 * count + 30 });
	return events;
}

const held = <T>(list: readonly (T | undefined)[]): T[] => list.filter((x): x is T => x !== undefined);

describe('TrafficAnalyzer history cap', () => {
	it('keeps the newest maxFrames frames and still produces messages', () => {
		const maxFrames = 600;
		const live = new TrafficAnalyzer({ maxFrames });
		let total = 0;
		let messages = 0;
		let lastLines: string[] = [];
		for (let conn = 1; conn <= 120; conn++) {
			lastLines = [];
			for (const e of connection(conn, 4, conn * 10_000)) {
				const u = live.push(e);
				total += u.frames.length;
				messages += u.messages.length;
				for (const m of u.messages) lastLines.push(startLine(m.message));
				expect(live.retainedFrames).toBeLessThanOrEqual(maxFrames);
			}
		}
		expect(total).toBeGreaterThan(maxFrames * 5);
		expect(live.retainedFrames).toBe(maxFrames);
		expect(live.droppedFrames).toBe(total - maxFrames);
		// Every exchange of the last connection came out, in order.
		expect(messages).toBe(120 * 4 * 2);
		expect(lastLines).toEqual([
			'GET /page/120/0 HTTP/1.1', 'HTTP/1.1 200 OK',
			'GET /page/120/1 HTTP/1.1', 'HTTP/1.1 200 OK',
			'GET /page/120/2 HTTP/1.1', 'HTTP/1.1 200 OK',
			'GET /page/120/3 HTTP/1.1', 'HTTP/1.1 200 OK'
		]);

		const a = live.snapshot();
		const frames = held(a.frames);
		expect(frames).toHaveLength(maxFrames);
		// Numbering is kept: frame n sits at index n - 1, and the held ones are the newest.
		expect(frames[0].number).toBe(total - maxFrames + 1);
		expect(a.frames[total - 1]?.number).toBe(total);
		expect(live.frame(total)?.number).toBe(total);
		expect(live.frame(1)).toBeUndefined();
		// Messages and connections from forgotten frames are forgotten too.
		const msgs = held(a.messages);
		expect(msgs.length).toBeGreaterThan(0);
		expect(msgs.length).toBeLessThan(messages);
		for (const m of msgs) expect(m.frame).toBeGreaterThanOrEqual(frames[0].number);
		expect(held(a.connections).length).toBeLessThan(30);
		// Frames that are held still show the messages they carry.
		expect(frames.some((f) => f.summary.startsWith('GET /page/120/3'))).toBe(true);
	});

	it('keeps everything with maxFrames Infinity, and defaults to a cap', () => {
		const live = new TrafficAnalyzer({ maxFrames: Infinity });
		let total = 0;
		for (let conn = 1; conn <= 5; conn++) for (const e of connection(conn, 2, conn * 10_000)) total += live.push(e).frames.length;
		expect(live.droppedFrames).toBe(0);
		expect(held(live.snapshot().frames)).toHaveLength(total);
		expect(DEFAULT_MAX_FRAMES).toBe(20_000);
	});
});
