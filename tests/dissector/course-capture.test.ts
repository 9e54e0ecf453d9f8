/**
 * static/htcpcp.lua on the course's own capture of the homepage (lab task 3):
 * what tshark shows without the plugin, and what it shows with it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { COURSE_CAPTURE, TSHARK, dissect, luaProblems, run, skipReason, type Dissection } from './tshark';

const reason = skipReason();
if (reason) console.warn(`skipping the HTCPCP dissector tests: ${reason}`);

describe.skipIf(reason !== null)('htcpcp.lua on homepage_coffee.pcapng', () => {
	let without: Dissection;
	let withPlugin: Dissection;
	let filtered: Dissection;

	beforeAll(async () => {
		[without, withPlugin, filtered] = await Promise.all([
			dissect(COURSE_CAPTURE, { plugin: false }),
			dissect(COURSE_CAPTURE, { plugin: true }),
			dissect(COURSE_CAPTURE, { plugin: true, filter: 'htcpcp' })
		]);
	});

	it('without the plugin, frame 13 is an HTTP "Continuation" and there is no htcpcp filter', async () => {
		expect(without.run.code).toBe(0);
		const frame13 = without.frames.get(13);
		expect(frame13?.['_ws.col.Protocol']).toEqual(['HTTP']);
		expect(frame13?.['_ws.col.Info'][0]).toBe('Continuation');
		const unknown = await run(TSHARK, ['-r', COURSE_CAPTURE, '-Y', 'htcpcp']);
		expect(unknown.code).not.toBe(0);
		expect(unknown.stderr).toMatch(/htcpcp/);
	});

	it('loads without Lua errors', () => {
		for (const d of [withPlugin, filtered]) {
			expect(d.run.code).toBe(0);
			expect(luaProblems(d)).toEqual([]);
		}
	});

	it('the htcpcp filter shows exactly the request (frame 11) and the response (frame 13)', () => {
		expect([...filtered.frames.keys()]).toEqual([11, 13]);
		expect(filtered.frames.get(11)?.['_ws.col.Info'][0]).toBe('GET coffee://ducky HTTP/1.1');
		expect(filtered.frames.get(13)?.['_ws.col.Info'][0]).toBe('HTCPCP/1.1 200 OK');
		for (const row of filtered.frames.values()) expect(row['_ws.col.Protocol']).toEqual(['HTCPCP']);
	});

	it('frame 11 is a GET request with its URI split into scheme and host', () => {
		const row = withPlugin.frames.get(11)!;
		expect(row['htcpcp.request']).toEqual(['1']);
		expect(row['htcpcp.response']).toEqual([]);
		expect(row['htcpcp.method']).toEqual(['GET']);
		expect(row['htcpcp.uri']).toEqual(['coffee://ducky']);
		expect(row['htcpcp.scheme']).toEqual(['coffee']);
		expect(row['htcpcp.scheme_language']).toEqual(['English']);
		expect(row['htcpcp.host']).toEqual(['ducky']);
		expect(row['htcpcp.version']).toEqual(['HTTP/1.1']);
		expect(row['htcpcp.header']).toEqual(['Content-Type: application/coffee-pot-command']);
		expect(row['htcpcp.content_type']).toEqual(['application/coffee-pot-command']);
		expect(row['htcpcp.status']).toEqual([]);
		expect(row['htcpcp.body']).toEqual([]);
	});

	it('frame 13 is the 200 response with its headers and the idle body {}', () => {
		const row = withPlugin.frames.get(13)!;
		expect(row['htcpcp.response']).toEqual(['1']);
		expect(row['htcpcp.request']).toEqual([]);
		expect(row['htcpcp.version']).toEqual(['HTCPCP/1.1']);
		expect(row['htcpcp.status']).toEqual(['200']);
		expect(row['htcpcp.reason']).toEqual(['OK']);
		expect(row['htcpcp.method']).toEqual([]);
		expect(row['htcpcp.header']).toEqual([
			'Server: CoffeePot',
			'Content-Type: message/coffeepot',
			'Date: Tue, 27 Jun 2023 17:39:59'
		]);
		expect(row['htcpcp.content_type']).toEqual(['message/coffeepot']);
		expect(row['htcpcp.body']).toEqual(['{}']);
	});

	it('leaves the web side alone: HTTP on port 5031 still dissects as before', () => {
		for (const frame of [5, 21, 31, 35]) {
			expect(withPlugin.frames.get(frame)?.['_ws.col.Protocol']).toEqual(['HTTP']);
			expect(withPlugin.frames.get(frame)?.['_ws.col.Info']).toEqual(without.frames.get(frame)?.['_ws.col.Info']);
		}
		const htcpcpFrames = [...withPlugin.frames.values()].filter((r) => r['_ws.col.Protocol'][0] === 'HTCPCP');
		expect(htcpcpFrames.map((r) => Number(r['frame.number'][0]))).toEqual([11, 13]);
	});
});
