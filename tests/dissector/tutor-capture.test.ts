/**
 * static/htcpcp.lua on a capture written by the tutor's own pcapng writer
 * (src/lib/protocol/capture/traffic-writer.ts): real handshakes, ACKs and
 * FINs around the lab's messages, cut into segments at a small MSS.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';
import { writeTrafficCapture } from '../../src/lib/protocol/capture/traffic-writer';
import { serializeRequest, serializeResponse, withLength, type Header } from '../../src/lib/protocol/index';
import { dissect, luaProblems, skipReason, type Dissection, type Row } from './tshark';

const reason = skipReason();
if (reason) console.warn(`skipping the HTCPCP dissector tests: ${reason}`);

const COMMAND: Header = { name: 'Content-Type', value: 'application/coffee-pot-command' };
const BEANS = JSON.stringify({
	name: 'Ethiopia Yirgacheffe',
	profile: 'floral, citrus, bright acidity',
	origin: 'Ethiopia',
	type: 'Arabica',
	strength: 3,
	roast: 'light'
});

/** Two connections from the web app to the pot, the way the relay's tap reports them. */
function events(): { list: TrafficEvent[]; brew: Uint8Array; beans: Uint8Array } {
	const brew = serializeRequest({
		method: 'BREW',
		target: 'coffee://ducky',
		headers: withLength([COMMAND, { name: 'Accept-Additions', value: 'whole-milk; rum' }], 'start'),
		body: 'start'
	});
	const started = serializeResponse({ status: 200, headers: withLength([{ name: 'Server', value: 'CoffeePot' }], '{"brewing": true}'), body: '{"brewing": true}' });
	const propfind = serializeRequest({ method: 'PROPFIND', target: 'coffee://ducky', headers: [COMMAND] });
	const beans = serializeResponse({ status: 200, headers: withLength([{ name: 'Server', value: 'CoffeePot' }], BEANS), body: BEANS });
	const web = { address: '127.0.0.1', port: 55500 };
	const pot = { address: '127.0.0.1', port: 5030 };
	let t = 1_700_000_000_000_000;
	const at = () => (t += 1000);
	const list: TrafficEvent[] = [
		{ type: 'open', conn: 1, timeUs: at(), client: web, server: pot, label: 'web app → pot' },
		{ type: 'data', conn: 1, timeUs: at(), from: 'client', bytes: brew },
		{ type: 'data', conn: 1, timeUs: at(), from: 'server', bytes: started },
		{ type: 'end', conn: 1, timeUs: at(), from: 'server' },
		{ type: 'close', conn: 1, timeUs: at() },
		{ type: 'open', conn: 2, timeUs: at(), client: { ...web, port: 55501 }, server: pot, label: 'web app → pot' },
		{ type: 'data', conn: 2, timeUs: at(), from: 'client', bytes: propfind },
		{ type: 'data', conn: 2, timeUs: at(), from: 'server', bytes: beans },
		{ type: 'end', conn: 2, timeUs: at(), from: 'server' },
		{ type: 'close', conn: 2, timeUs: at() }
	];
	return { list, brew, beans };
}

describe.skipIf(reason !== null)('htcpcp.lua on a capture from the tutor’s pcapng writer', () => {
	let dir: string;
	let all: Dissection;
	let filtered: Dissection;
	const MSS = 48;

	beforeAll(async () => {
		dir = await mkdtemp(path.join(os.tmpdir(), 'htcpcp-tutor-capture-'));
		const file = path.join(dir, 'tutor.pcapng');
		await writeFile(file, writeTrafficCapture(events().list, { mss: MSS }));
		[all, filtered] = await Promise.all([dissect(file, { plugin: true }), dissect(file, { plugin: true, filter: 'htcpcp' })]);
	});

	afterAll(async () => {
		if (dir) await rm(dir, { recursive: true, force: true });
	});

	const rows = (d: Dissection): Row[] => [...d.frames.values()];

	it('opens the file and dissects it without Lua errors', () => {
		expect(all.run.code).toBe(0);
		expect(luaProblems(all)).toEqual([]);
		expect(rows(all).length).toBeGreaterThan(20);
	});

	it('shows each of the four messages once, in the frame that completes it', () => {
		const infos = rows(filtered).map((r) => r['_ws.col.Info'][0]);
		expect(infos).toEqual([
			'BREW coffee://ducky HTTP/1.1',
			'HTCPCP/1.1 200 OK',
			'PROPFIND coffee://ducky HTTP/1.1',
			'HTCPCP/1.1 200 OK'
		]);
	});

	it('reassembles the BREW and the beans from segments of at most the MSS', () => {
		const { brew, beans } = events();
		expect(brew.length).toBeGreaterThan(MSS);
		expect(beans.length).toBeGreaterThan(MSS);
		const [brewRow, , , beansRow] = rows(filtered);
		expect(brewRow['htcpcp.method']).toEqual(['BREW']);
		expect(brewRow['htcpcp.accept_additions']).toEqual(['whole-milk; rum']);
		expect(brewRow['htcpcp.body']).toEqual(['start']);
		expect(beansRow['htcpcp.status']).toEqual(['200']);
		expect(beansRow['htcpcp.body']).toEqual([BEANS]);
		// The frames before it in its stream carried the rest of its bytes, as plain TCP.
		const stream = beansRow['tcp.stream'][0];
		const earlier = rows(all).filter(
			(r) =>
				r['tcp.stream'][0] === stream &&
				r['tcp.srcport'][0] === '5030' &&
				Number(r['tcp.len'][0]) > 0 &&
				Number(r['frame.number'][0]) < Number(beansRow['frame.number'][0])
		);
		expect(earlier.length).toBe(Math.ceil(beans.length / MSS) - 1);
		for (const r of earlier) expect(r['_ws.col.Protocol']).toEqual(['TCP']);
	});
});
