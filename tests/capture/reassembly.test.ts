import { describe, expect, it } from 'vitest';
import { analyzeBytes, enc, openEvent, pcapngOf, synthPackets, T0 } from './helpers';
import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';
import { startLine, text } from '../../src/lib/protocol/index';
import type { SynthPacket } from '../../src/lib/protocol/capture/synth';

const REQ = 'BREW coffee://ducky HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\nContent-Length: 5\r\n\r\nstart';
const RESP = 'HTCPCP/1.1 200 OK\r\nContent-Type: message/coffeepot\r\nContent-Length: 10\r\n\r\nbrewing...';

function events(request = REQ, response = RESP): TrafficEvent[] {
	return [
		openEvent(1),
		{ type: 'data', conn: 1, timeUs: T0 + 1000, from: 'client', bytes: enc(request) },
		{ type: 'data', conn: 1, timeUs: T0 + 2000, from: 'server', bytes: enc(response) },
		{ type: 'end', conn: 1, timeUs: T0 + 3000, from: 'client' },
		{ type: 'close', conn: 1, timeUs: T0 + 4000 }
	];
}

/** Index of the packets that carry payload from the client. */
function clientData(packets: SynthPacket[]): number[] {
	const out: number[] = [];
	packets.forEach((p, i) => {
		const ip = p.frame.subarray(4);
		const tcp = ip.subarray(20);
		const payload = ip.length - 20 - (tcp[12] >> 4) * 4;
		if (payload > 0 && ((tcp[0] << 8) | tcp[1]) === 40001) out.push(i);
	});
	return out;
}

function starts(bytes: Uint8Array) {
	const { analysis } = analyzeBytes(bytes);
	return { analysis, lines: analysis.messages.map((m) => `${m.frame}:${startLine(m.message)}`) };
}

describe('TCP reassembly', () => {
	it('joins a message split over many segments and shows it on the last one', () => {
		const packets = synthPackets(events(), 16);
		const { analysis } = starts(pcapngOf(packets));
		const req = analysis.messages[0];
		expect(startLine(req.message)).toBe('BREW coffee://ducky HTTP/1.1');
		expect(text(req.message.body)).toBe('start');
		const data = clientData(packets).map((i) => i + 1);
		expect(req.frames).toEqual(data);
		expect(req.frame).toBe(data[data.length - 1]);
		expect(analysis.frames[data[0] - 1].summary).toContain('[segment of a reassembled message]');
		expect(analysis.messages[1].protocol).toBe('HTCPCP');
	});

	it('delivers out-of-order segments in sequence order', () => {
		const packets = synthPackets(events(), 16);
		const data = clientData(packets);
		const swapped = [...packets];
		[swapped[data[1]], swapped[data[2]]] = [swapped[data[2]], swapped[data[1]]];
		const { analysis } = starts(pcapngOf(swapped));
		expect(text(analysis.messages[0].message.body)).toBe('start');
		expect(startLine(analysis.messages[0].message)).toBe('BREW coffee://ducky HTTP/1.1');
		expect(analysis.frames[data[1]].tcp?.outOfOrder).toBe(true);
	});

	it('counts retransmissions and overlaps once', () => {
		const packets = synthPackets(events(), 16);
		const data = clientData(packets);
		const copy = [...packets];
		copy.splice(data[3] + 1, 0, packets[data[3]]); // an exact retransmission
		const { analysis } = starts(pcapngOf(copy));
		expect(analysis.messages).toHaveLength(2);
		expect(analysis.messages[0].message.length).toBe(REQ.length);
		expect(analysis.frames[data[3] + 1].tcp?.retransmission).toBe(true);
		expect(analysis.frames[data[3] + 1].summary).toMatch(/^\[Retransmission\]/);
	});

	it('handles a segment that overlaps bytes already delivered', () => {
		// Segments of 16 bytes, then one of 32 that repeats the previous 16 and adds 16 new ones.
		const small = synthPackets(events(), 16);
		const big = synthPackets(events(), 32);
		const s = clientData(small);
		const b = clientData(big);
		// big segment 1 covers small segments 2 and 3: send small 0,1,2, then big 1 (bytes 32..63), then the rest of small.
		const seq = [...small.slice(0, s[2] + 1), big[b[1]], ...small.slice(s[3] + 1 + 1)];
		// small[s[3]] is dropped: the big segment supplied its bytes.
		const { analysis } = starts(pcapngOf(seq.filter((p) => p !== small[s[3]])));
		expect(analysis.messages[0].message.length).toBe(REQ.length);
		expect(text(analysis.messages[0].message.body)).toBe('start');
		expect(analysis.frames.some((f) => f.tcp?.overlap)).toBe(true);
	});

	it('finds several messages in one segment', () => {
		const pipelined = 'GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n';
		const { analysis, lines } = starts(pcapngOf(synthPackets(events(pipelined, 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n'))));
		expect(lines.map((l) => l.split(':').slice(1).join(':'))).toEqual([
			'GET /a HTTP/1.1', 'GET /b HTTP/1.1', 'HTTP/1.1 200 OK', 'HTTP/1.1 204 No Content'
		]);
		const f = analysis.frames[analysis.messages[0].frame - 1];
		expect(f.summary).toBe('GET /a HTTP/1.1, GET /b HTTP/1.1');
		expect(analysis.messages[3].answers).toBe(1);
	});

	it('picks up a capture that starts mid-connection, mid-message', () => {
		const two: TrafficEvent[] = [
			openEvent(1),
			{ type: 'data', conn: 1, timeUs: T0 + 1000, from: 'client', bytes: enc(REQ) },
			{ type: 'data', conn: 1, timeUs: T0 + 2000, from: 'server', bytes: enc(RESP) },
			{ type: 'data', conn: 1, timeUs: T0 + 3000, from: 'client', bytes: enc('GET coffee://ducky HTTP/1.1\r\n\r\n') },
			{ type: 'data', conn: 1, timeUs: T0 + 4000, from: 'server', bytes: enc(RESP) }
		];
		const packets = synthPackets(two, 40);
		const data = clientData(packets);
		// Start the capture at the second segment of the first request: no SYN, half a message.
		const { analysis } = starts(pcapngOf(packets.slice(data[1])));
		const lines = analysis.messages.map((m) => startLine(m.message));
		expect(lines).toContain('GET coffee://ducky HTTP/1.1');
		expect(lines).toContain('HTCPCP/1.1 200 OK');
		expect(analysis.frames[0].problems.join(' ')).toMatch(/does not start a message/);
		expect(analysis.connections[0].sawHandshake).toBe(false);
		expect(analysis.connections[0].client.port).toBe(40001);
	});

	it('follows sequence numbers across the 2^32 wrap', () => {
		const packets = synthPackets(events(), 16, (_c, side) => (side === 'client' ? 0xffffffe0 : 0xfffffff0));
		const { analysis } = starts(pcapngOf(packets));
		expect(text(analysis.messages[0].message.body)).toBe('start');
		expect(text(analysis.messages[1].message.body)).toBe('brewing...');
	});

	it('ends an unframed BREW body when the pot answers (idle-delimited, as the lab web app sends it)', () => {
		const req = 'BREW coffee://ducky HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\n\r\nstart';
		const { analysis } = starts(pcapngOf(synthPackets(events(req))));
		expect(analysis.messages.map((m) => startLine(m.message))).toEqual(['BREW coffee://ducky HTTP/1.1', 'HTCPCP/1.1 200 OK']);
		expect(text(analysis.messages[0].message.body)).toBe('start');
	});

	it('recognises HTCPCP on any port and by its methods and schemes', () => {
		const ev = (port: number, req: string): TrafficEvent[] => [
			openEvent(port, T0, 50000 + port, port),
			{ type: 'data', conn: port, timeUs: T0 + 1, from: 'client', bytes: enc(req) }
		];
		const all = [
			...ev(80, 'GET koffie://ducky HTTP/1.1\r\n\r\n'),
			...ev(8080, 'WHEN /pot-0 HTTP/1.1\r\n\r\n'),
			...ev(9000, 'PROPFIND /pot-0 HTCPCP/1.0\r\n\r\n'),
			...ev(9001, 'GET /index.html HTTP/1.1\r\n\r\n')
		];
		const { analysis } = starts(pcapngOf(synthPackets(all)));
		expect(analysis.messages.map((m) => m.protocol)).toEqual(['HTCPCP', 'HTCPCP', 'HTCPCP', 'HTTP']);
	});
});
