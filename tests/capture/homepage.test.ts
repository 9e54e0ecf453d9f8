import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { analyzeBytes, HOMEPAGE, hasTshark, tsharkFields } from './helpers';
import { frameDetail } from '../../src/lib/protocol/analysis/detail';
import { parseFilter } from '../../src/lib/protocol/analysis/filter';
import { text } from '../../src/lib/protocol/index';

const { file, analysis } = analyzeBytes(new Uint8Array(readFileSync(HOMEPAGE)));
const frame = (n: number) => analysis.frames[n - 1];
const message = (n: number) => analysis.messages[frame(n).messages[0]];

describe('the course capture homepage_coffee.pcapng', () => {
	it('reads every frame without damage', () => {
		expect(file.error).toBeUndefined();
		expect(file.format).toBe('pcapng');
		expect(analysis.frames).toHaveLength(40);
	});

	it('frames 1-4 are the browser handshake to 5031', () => {
		expect([1, 2, 3, 4].map((n) => frame(n).summary.split(' ')[0])).toEqual(['[SYN]', '[SYN,', '[ACK]', '[ACK]']);
		expect(frame(2).summary.startsWith('[SYN, ACK]')).toBe(true);
		expect(frame(1).sourcePort).toBe(55433);
		expect(frame(1).destinationPort).toBe(5031);
	});

	it('lists the messages on the frames Wireshark numbers', () => {
		expect(frame(5).protocol).toBe('HTTP');
		expect(frame(5).summary).toBe('GET /?method=get HTTP/1.1');
		expect([7, 8, 9].map((n) => frame(n).destinationPort === 5030 || frame(n).sourcePort === 5030)).toEqual([true, true, true]);
		expect(frame(11).protocol).toBe('HTCPCP');
		expect(frame(11).summary).toBe('GET coffee://ducky HTTP/1.1');
		expect(frame(13).protocol).toBe('HTCPCP');
		expect(frame(13).summary.startsWith('HTCPCP/1.1 200 OK')).toBe(true);
		expect(text(message(13).message.body)).toBe('{}');
		expect(frame(15).summary.startsWith('[FIN, ACK]')).toBe(true);
		expect(frame(15).sourcePort).toBe(5030);
		expect(frame(21).summary).toBe('HTTP/1.1 200 OK (text/html)');
		expect(message(21).frames).toEqual([19, 21]);
		expect(frame(19).partOfLater).toBe(true);
		expect(frame(31).summary).toBe('GET /assets/styles.css HTTP/1.1');
		expect(frame(35).summary).toBe('HTTP/1.1 200 OK (text/css)');
		expect(message(13).answers).toBe(frame(11).messages[0]);
	});

	it.skipIf(!hasTshark)('agrees with tshark on every frame, its ports, and relative numbers', () => {
		const rows = tsharkFields(HOMEPAGE, ['frame.number', 'tcp.srcport', 'tcp.dstport', 'tcp.seq', 'tcp.ack', 'tcp.len']);
		expect(rows).toHaveLength(analysis.frames.length);
		for (const [n, sp, dp, seq, ack, len] of rows) {
			const f = frame(Number(n));
			expect([f.sourcePort, f.destinationPort, f.tcp?.relativeSeq, f.tcp?.relativeAck, f.tcp?.payload.length]).toEqual([
				Number(sp), Number(dp), Number(seq), Number(ack), Number(len)
			]);
		}
		// Every frame tshark dissects as HTTP is an HTTP or HTCPCP frame here too (tshark calls 13 "Continuation").
		const http = tsharkFields(HOMEPAGE, ['frame.number'], 'http').map((r) => Number(r[0]));
		const ours = analysis.frames.filter((f) => f.protocol === 'HTTP' || f.protocol === 'HTCPCP').map((f) => f.number);
		expect(ours).toEqual(http);
	});

	it('filters like the lab asks: htcpcp or tcp.port == 5031', () => {
		const pick = (expr: string) => {
			const m = parseFilter(expr);
			return analysis.frames.filter((f) => m(f, analysis)).map((f) => f.number);
		};
		expect(pick('htcpcp')).toEqual([11, 13]);
		expect(pick('http')).toEqual([5, 21, 31, 35]);
		expect(pick('tcp.flags.syn == 1')).toEqual([1, 2, 7, 8, 27, 28]);
		expect(pick('tcp.flags.syn == 1 and not tcp.flags.ack == 1')).toEqual([1, 7, 27]);
		expect(pick('htcpcp or tcp.port == 5031')).toHaveLength(2 + 28);
		expect(pick('tcp.port == 5030 && tcp.flags.fin == 1')).toEqual([15, 17]);
		expect(pick('htcpcp.response.code == 200')).toEqual([13]);
		expect(pick('(http.request) || frame.number == 40')).toEqual([5, 31, 40]);
		expect(() => parseFilter('tcp.prot == 1')).toThrow(/unknown field/);
		expect(() => parseFilter('tcp.port = 1')).toThrow(/not an operator/);
		expect(() => parseFilter('(http')).toThrow(/not closed/);
	});

	it('shows frame 13 in full: layers, each header, the body', () => {
		const d = frameDetail(analysis, 13);
		expect(d).toBeDefined();
		const titles = d?.layers.map((l) => l.title) ?? [];
		expect(titles[1]).toBe('BSD loopback');
		expect(titles[2]).toContain('Internet Protocol Version 4');
		expect(titles[3]).toContain('Src Port: 5030');
		const msg = d?.layers[4];
		expect(msg?.title).toContain('Hyper Text Coffee Pot Control Protocol response');
		expect(msg?.fields.map((f) => f.label)).toEqual(
			expect.arrayContaining(['Status line', 'Server', 'Content-Type', 'Date', 'Body (2 bytes, framing: close)'])
		);
	});
});
