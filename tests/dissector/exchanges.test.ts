/**
 * static/htcpcp.lua on captures this test writes itself (text2pcap): messages
 * split over segments, pipelined messages, 418 and 406 answers, every coffee
 * scheme of RFC 2324 section 3, HTCPCP on other ports (the heuristic), and
 * traffic the dissector must leave alone.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	COFFEE_SCHEMES,
	concatBytes,
	serializeRequest,
	serializeResponse,
	utf8,
	withLength,
	type Header
} from '../../src/lib/protocol/index';
import { writeCapture, type Flow, type Segment } from './captures';
import { dissect, luaProblems, skipReason, type Dissection, type Row } from './tshark';

const reason = skipReason();
if (reason) console.warn(`skipping the HTCPCP dissector tests: ${reason}`);

const COMMAND: Header = { name: 'Content-Type', value: 'application/coffee-pot-command' };
const POT_HEADERS: Header[] = [
	{ name: 'Server', value: 'CoffeePot' },
	{ name: 'Content-Type', value: 'message/coffeepot' }
];

function brew(target: string, body: string, extra: Header[] = [], version?: string): Uint8Array {
	return serializeRequest({ method: 'BREW', target, version, headers: withLength([COMMAND, ...extra], body), body });
}

function ask(method: string, target = 'coffee://ducky'): Uint8Array {
	return serializeRequest({ method, target, headers: [COMMAND] });
}

function answer(status: number, body: string, version?: string): Uint8Array {
	return serializeResponse({ status, version, headers: withLength(POT_HEADERS, body), body });
}

const client = (bytes: Uint8Array): Segment => ({ from: 'client', bytes });
const server = (bytes: Uint8Array): Segment => ({ from: 'server', bytes });
/** `bytes` cut at the given offsets, one segment per piece. */
function pieces(from: Segment['from'], bytes: Uint8Array, cuts: number[]): Segment[] {
	const edges = [0, ...cuts, bytes.length];
	return edges.slice(1).map((end, i) => ({ from, bytes: bytes.subarray(edges[i], end) }));
}

const SPLIT_BREW = brew('coffee://ducky', 'start', [
	{ name: 'Accept-Additions', value: 'cream; vanilla' },
	{ name: 'Use-Pot', value: 'ducky' }
]);
const REFUSAL = 'Acceptable additions: cream, half-and-half, whole-milk, vanilla, whisky';
const IDLE_RESPONSE_WITHOUT_LENGTH = serializeResponse({ version: 'HTTP/1.1', status: 200, headers: POT_HEADERS, body: '{"brewing": true, "seconds_left": 30}' });

/** The exchanges, by name; each is one TCP connection. */
const FLOWS = {
	heuristicGet: {
		clientPort: 41011,
		serverPort: 15034,
		// GET also starts plain HTTP requests: the coffee scheme must win it for
		// HTCPCP. First in the capture, before Wireshark's HTTP heuristic has won
		// anything (a heuristic that wins is tried first from then on).
		segments: [client(ask('GET')), server(answer(200, '{}', 'HTTP/1.1'))]
	},
	split: {
		clientPort: 41001,
		serverPort: 5030,
		// Cut inside the head, then two bytes before the end of the body.
		segments: [...pieces('client', SPLIT_BREW, [20, SPLIT_BREW.length - 2]), server(answer(200, '{"brewing": true}'))]
	},
	pipelined: {
		clientPort: 41002,
		serverPort: 5030,
		segments: [
			client(concatBytes([ask('GET'), ask('PROPFIND')])),
			// A BREW without Content-Length: its body runs up to the next request.
			client(concatBytes([serializeRequest({ method: 'BREW', target: 'coffee://ducky', headers: [COMMAND], body: 'stop' }), ask('WHEN')])),
			server(concatBytes([answer(200, '{}'), answer(200, '{"bean": "Arabica"}')]))
		]
	},
	teapot: {
		clientPort: 41003,
		serverPort: 5030,
		segments: [client(brew('coffee://ducky', 'start', [{ name: 'Use-Pot', value: 'tea' }])), server(answer(418, "I'm a teapot"))]
	},
	refused: {
		clientPort: 41004,
		serverPort: 5030,
		segments: [
			client(brew('coffee://ducky', 'start', [{ name: 'Accept-Additions', value: 'tea' }])),
			// The 406 arrives in two segments, cut inside its body.
			...pieces('server', answer(406, REFUSAL), [answer(406, REFUSAL).length - 10])
		]
	},
	chinese: {
		clientPort: 41005,
		serverPort: 5030,
		segments: [client(brew('%E5%92%96%E5%95%A1://ducky', 'start')), server(answer(200, '{}'))]
	},
	heuristic: {
		clientPort: 41006,
		serverPort: 15030,
		segments: [
			client(brew('koffie://ducky/pot-0', 'start')),
			// An HTTP/1.1 status line without Content-Length, in two segments:
			// the conversation is already HTCPCP, so both stay HTCPCP.
			...pieces('server', IDLE_RESPONSE_WITHOUT_LENGTH, [IDLE_RESPONSE_WITHOUT_LENGTH.length - 12])
		]
	},
	schemes: {
		clientPort: 41007,
		serverPort: 15031,
		segments: COFFEE_SCHEMES.flatMap((s) => [
			client(brew(`${s.encoded}://ducky`, 'start', [], 'HTCPCP/1.0')),
			client(brew(`${s.decoded}://ducky`, 'stop'))
		])
	},
	plainHttp: {
		clientPort: 41008,
		serverPort: 15032,
		segments: [client(serializeRequest({ method: 'GET', target: '/index.html', headers: [{ name: 'Host', value: 'example' }] }))]
	},
	notCoffee: {
		clientPort: 41009,
		serverPort: 15033,
		segments: [client(brew('caffeine://ducky', 'start'))]
	},
	midStream: {
		clientPort: 41012,
		serverPort: 15035,
		// A capture started after the request: only the pot's answer is seen.
		segments: [server(answer(503, 'Pot is busy'))]
	},
	hostile: {
		clientPort: 41013,
		serverPort: 5030,
		segments: [
			client(Uint8Array.from({ length: 300 }, (_, i) => (i * 151 + 7) % 256)),
			client(concatBytes([utf8('BREW coffee://du'), Uint8Array.of(0xff, 0xfe), utf8('cky HTTP/1.1\r\nContent-Length: lots\r\n\r\nstart')])),
			client(utf8('BREW coffee://ducky HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\nstart')),
			// A head that never ends: the dissector gives up after 64 KiB.
			...Array.from({ length: 5 }, (_, i) =>
				client(utf8((i === 0 ? 'BREW coffee://ducky HTTP/1.1\r\n' : '') + `X-Filler-${i}: ${'a'.repeat(16_000)}\r\n`))
			)
		]
	},
	decodeAs: {
		clientPort: 41014,
		serverPort: 15037,
		// After plain HTTP was seen, the HTTP heuristic sees a GET first; Decode As
		// (tshark -d) puts the port under HTCPCP.
		segments: [client(ask('GET')), server(answer(200, '{}', 'HTTP/1.1'))]
	},
	labErrors: {
		clientPort: 41010,
		serverPort: 5030,
		segments: [
			client(brew('caffeine://ducky', 'start')),
			server(answer(400, 'Bad Request')),
			client(ask('MILK')),
			server(answer(501, 'Not Implemented'))
		]
	}
} satisfies Record<string, Flow>;

type Name = keyof typeof FLOWS;
const DECODE_AS = [`tcp.port==${FLOWS.decodeAs.serverPort},htcpcp`];

describe.skipIf(reason !== null)('htcpcp.lua on generated exchanges', () => {
	let dir: string;
	let frames: Record<Name, number[]>;
	let all: Dissection;
	let filtered: Dissection;

	beforeAll(async () => {
		dir = await mkdtemp(path.join(os.tmpdir(), 'htcpcp-dissector-'));
		const names = Object.keys(FLOWS) as Name[];
		const file = path.join(dir, 'exchanges.pcapng');
		const numbers = await writeCapture(dir, file, names.map((n) => FLOWS[n]));
		frames = Object.fromEntries(names.map((n, i) => [n, numbers[i]])) as Record<Name, number[]>;
		[all, filtered] = await Promise.all([dissect(file, { plugin: true, decodeAs: DECODE_AS }),
			dissect(file, { plugin: true, filter: 'htcpcp', decodeAs: DECODE_AS })]);
	});

	afterAll(async () => {
		if (dir) await rm(dir, { recursive: true, force: true });
	});

	/** The row of segment `index` of exchange `name`. */
	function row(name: Name, index: number): Row {
		const found = all.frames.get(frames[name][index]);
		if (!found) throw new Error(`no frame for ${name}[${index}]`);
		return found;
	}

	it('dissects every frame without Lua errors', () => {
		expect(all.run.code).toBe(0);
		expect(luaProblems(all)).toEqual([]);
		expect(luaProblems(filtered)).toEqual([]);
		const total = Object.values(FLOWS).reduce((n, f) => n + f.segments.length, 0);
		expect(all.frames.size).toBe(total);
	});

	it('reassembles a BREW split over three segments and shows it in the last', () => {
		expect(row('split', 0)['_ws.col.Protocol']).toEqual(['TCP']);
		expect(row('split', 1)['_ws.col.Protocol']).toEqual(['TCP']);
		const done = row('split', 2);
		expect(done['_ws.col.Info']).toEqual(['BREW coffee://ducky HTTP/1.1']);
		expect(done['htcpcp.method']).toEqual(['BREW']);
		expect(done['htcpcp.content_type']).toEqual(['application/coffee-pot-command']);
		expect(done['htcpcp.accept_additions']).toEqual(['cream; vanilla']);
		expect(done['htcpcp.use_pot']).toEqual(['ducky']);
		expect(done['htcpcp.content_length']).toEqual(['5']);
		expect(done['htcpcp.body']).toEqual(['start']);
		expect(done['htcpcp.header']).toHaveLength(4);
		expect(row('split', 3)['htcpcp.status']).toEqual(['200']);
		expect(row('split', 3)['htcpcp.body']).toEqual(['{"brewing": true}']);
	});

	it('shows every message of a segment that carries several', () => {
		const first = row('pipelined', 0);
		expect(first['htcpcp.method']).toEqual(['GET', 'PROPFIND']);
		expect(first['_ws.col.Info']).toEqual(['GET coffee://ducky HTTP/1.1, PROPFIND coffee://ducky HTTP/1.1']);
		const second = row('pipelined', 1);
		expect(second['htcpcp.method']).toEqual(['BREW', 'WHEN']);
		expect(second['htcpcp.body']).toEqual(['stop']);
		const answers = row('pipelined', 2);
		expect(answers['htcpcp.status']).toEqual(['200', '200']);
		expect(answers['htcpcp.body']).toEqual(['{}', '{"bean": "Arabica"}']);
	});

	it("marks 418 I'm a teapot with expert info", () => {
		expect(row('teapot', 0)['htcpcp.use_pot']).toEqual(['tea']);
		const teapot = row('teapot', 1);
		expect(teapot['_ws.col.Info']).toEqual(["HTCPCP/1.1 418 I'm a teapot"]);
		expect(teapot['htcpcp.status']).toEqual(['418']);
		expect(teapot['htcpcp.reason']).toEqual(["I'm a teapot"]);
		expect(teapot['_ws.expert.message'].join('\n')).toMatch(/418 I'm a teapot/);
	});

	it('reassembles a 406 whose body is split and shows the acceptable additions', () => {
		expect(row('refused', 0)['htcpcp.accept_additions']).toEqual(['tea']);
		expect(row('refused', 1)['_ws.col.Protocol']).toEqual(['TCP']);
		const refusal = row('refused', 2);
		expect(refusal['htcpcp.status']).toEqual(['406']);
		expect(refusal['htcpcp.body']).toEqual([REFUSAL]);
		expect(refusal['htcpcp.content_length']).toEqual([String(REFUSAL.length)]);
		expect(refusal['_ws.expert.message'].join('\n')).toMatch(/406 Not Acceptable/);
	});

	it('names the language of the percent-encoded Chinese scheme', () => {
		const request = row('chinese', 0);
		expect(request['htcpcp.uri']).toEqual(['%E5%92%96%E5%95%A1://ducky']);
		expect(request['htcpcp.scheme']).toEqual(['%E5%92%96%E5%95%A1']);
		expect(request['htcpcp.scheme_language']).toEqual(['Chinese']);
		expect(request['htcpcp.host']).toEqual(['ducky']);
	});

	it('finds HTCPCP on another port by its content, responses and continuations included', () => {
		const request = row('heuristic', 0);
		expect(request['_ws.col.Protocol']).toEqual(['HTCPCP']);
		expect(request['htcpcp.scheme_language']).toEqual(['Afrikaans, Dutch']);
		expect(request['htcpcp.pot']).toEqual(['pot-0']);
		const response = row('heuristic', 1);
		expect(response['_ws.col.Info']).toEqual(['HTTP/1.1 200 OK']);
		expect(response['htcpcp.version']).toEqual(['HTTP/1.1']);
		const tail = row('heuristic', 2);
		expect(tail['_ws.col.Protocol']).toEqual(['HTCPCP']);
		expect(tail['_ws.col.Info']).toEqual(['Continuation']);
	});

	it('knows all 23 schemes of RFC 2324 section 3, percent-encoded and as Unicode', () => {
		COFFEE_SCHEMES.forEach((s, i) => {
			const encoded = row('schemes', 2 * i);
			const decoded = row('schemes', 2 * i + 1);
			expect(encoded['_ws.col.Protocol'], s.encoded).toEqual(['HTCPCP']);
			expect(encoded['htcpcp.scheme'], s.encoded).toEqual([s.encoded]);
			expect(encoded['htcpcp.scheme_language'], s.encoded).toEqual([s.languages]);
			expect(encoded['htcpcp.version']).toEqual(['HTCPCP/1.0']);
			expect(decoded['_ws.col.Protocol'], s.decoded).toEqual(['HTCPCP']);
			expect(decoded['htcpcp.scheme'], s.decoded).toEqual([s.decoded]);
			expect(decoded['htcpcp.scheme_language'], s.decoded).toEqual([s.languages]);
			expect(decoded['htcpcp.body']).toEqual(['stop']);
		});
	});

	it('leaves plain HTTP and non-coffee schemes on other ports alone', () => {
		expect(row('plainHttp', 0)['_ws.col.Protocol']).toEqual(['HTTP']);
		expect(row('notCoffee', 0)['_ws.col.Protocol']).not.toEqual(['HTCPCP']);
	});

	it('finds a GET with a coffee URI on another port before the HTTP dissector does', () => {
		expect(row('heuristicGet', 0)['_ws.col.Protocol']).toEqual(['HTCPCP']);
		expect(row('heuristicGet', 0)['htcpcp.method']).toEqual(['GET']);
		expect(row('heuristicGet', 1)['htcpcp.status']).toEqual(['200']);
	});

	it('is offered in Decode As for a port the HTTP heuristic would take', () => {
		expect(row('decodeAs', 0)['htcpcp.method']).toEqual(['GET']);
		expect(row('decodeAs', 0)['htcpcp.uri']).toEqual(['coffee://ducky']);
		expect(row('decodeAs', 1)['_ws.col.Info']).toEqual(['HTTP/1.1 200 OK']);
	});

	it('finds an HTCPCP status line on another port when the request was not captured', () => {
		const busy = row('midStream', 0);
		expect(busy['_ws.col.Info']).toEqual(['HTCPCP/1.1 503 Service Unavailable']);
		expect(busy['htcpcp.body']).toEqual(['Pot is busy']);
	});

	it('survives garbage, bad bytes, bad Content-Lengths and a head that never ends', () => {
		expect(row('hostile', 0)['_ws.col.Info']).toEqual(['Continuation']);
		const bad = row('hostile', 1);
		expect(bad['htcpcp.method']).toEqual(['BREW']);
		expect(bad['htcpcp.content_length']).toEqual([]);
		expect(bad['_ws.expert.message'].join('\n')).toMatch(/Content-Length is not a number/);
		const huge = row('hostile', 2);
		expect(huge['htcpcp.body']).toEqual(['start']);
		expect(huge['_ws.expert.message'].join('\n')).toMatch(/Content-Length is not a number/);
		const endless = frames.hostile.slice(3).map((n) => all.frames.get(n)!);
		const shown = endless.filter((r) => r['_ws.col.Protocol'][0] === 'HTCPCP');
		expect(shown.length).toBeGreaterThan(0);
		expect(shown[0]['htcpcp.method']).toEqual(['BREW']);
		expect(shown[0]['_ws.expert.message'].join('\n')).toMatch(/cut short/);
	});

	it("on port 5030 still shows the lab's bad requests and flags a wrong scheme", () => {
		const wrongScheme = row('labErrors', 0);
		expect(wrongScheme['htcpcp.scheme']).toEqual(['caffeine']);
		expect(wrongScheme['htcpcp.scheme_language']).toEqual([]);
		expect(wrongScheme['_ws.expert.message'].join('\n')).toMatch(/RFC 2324 section 3/);
		expect(row('labErrors', 1)['htcpcp.status']).toEqual(['400']);
		expect(row('labErrors', 2)['htcpcp.method']).toEqual(['MILK']);
		expect(row('labErrors', 3)['htcpcp.status']).toEqual(['501']);
	});

	it('the htcpcp filter shows exactly the frames that hold HTCPCP', () => {
		const expected = [...all.frames.values()]
			.filter((r) => r['_ws.col.Protocol'][0] === 'HTCPCP')
			.map((r) => Number(r['frame.number'][0]));
		expect([...filtered.frames.keys()]).toEqual(expected);
		expect(filtered.frames.has(frames.split[0])).toBe(false);
		expect(filtered.frames.has(frames.split[2])).toBe(true);
		expect(filtered.frames.has(frames.plainHttp[0])).toBe(false);
	});
});
