import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { analyzeBytes, enc, FIXTURES, hasTshark, HOMEPAGE, openEvent, T0, tsharkFields, tsharkRun } from './helpers';
import { writeTrafficCapture } from '../../src/lib/protocol/capture/traffic-writer';
import { TrafficAnalyzer } from '../../src/lib/protocol/analysis/live';
import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';
import { frameDetail } from '../../src/lib/protocol/analysis/detail';
import { concatBytes, startLine } from '../../src/lib/protocol/index';

const TMP = mkdtempSync(path.join(tmpdir(), 'capture-test-'));
const FILES = ['loopback-http-https.pcapng', 'loopback-http-https.pcap', 'loopback-http-https.nsec.pcap', 'sll.pcap', 'sll2.pcapng', 'rawip.pcap', 'null-ipv6.pcap', 'sll-ipv6.pcap'];

/** A big-endian copy of a little-endian classic pcap file. */
function swapPcap(le: Uint8Array): Uint8Array {
	const out = le.slice();
	const v = new DataView(le.buffer, le.byteOffset, le.byteLength);
	const o = new DataView(out.buffer);
	o.setUint32(0, v.getUint32(0, true), false);
	o.setUint16(4, v.getUint16(4, true), false);
	o.setUint16(6, v.getUint16(6, true), false);
	for (const at of [8, 12, 16, 20]) o.setUint32(at, v.getUint32(at, true), false);
	let at = 24;
	while (at + 16 <= le.length) {
		const caplen = v.getUint32(at + 8, true);
		for (let k = 0; k < 16; k += 4) o.setUint32(at + k, v.getUint32(at + k, true), false);
		at += 16 + caplen;
	}
	return out;
}

describe('reading files Wireshark tools wrote', () => {
	for (const name of FILES) {
		it(`${name}: same frames and ports as tshark`, () => {
			const file = path.join(FIXTURES, name);
			const { file: cap, analysis } = analyzeBytes(new Uint8Array(readFileSync(file)));
			expect(cap.error).toBeUndefined();
			expect(analysis.frames.every((f) => f.tcp !== undefined)).toBe(true);
			expect(analysis.messages.length).toBeGreaterThan(0);
			if (!hasTshark) return;
			const rows = tsharkFields(file, ['frame.number', 'tcp.srcport', 'tcp.dstport', 'tcp.len']);
			expect(rows.map((r) => r.map(Number))).toEqual(
				analysis.frames.map((f) => [f.number, f.sourcePort, f.destinationPort, f.tcp?.payload.length])
			);
		});
	}

	it('pcap and nanosecond pcap give the same times (to the microsecond) as pcapng', () => {
		const times = (n: string) => analyzeBytes(new Uint8Array(readFileSync(path.join(FIXTURES, n)))).analysis.frames.map((f) => f.time);
		const ng = times('loopback-http-https.pcapng');
		const nsec = times('loopback-http-https.nsec.pcap');
		expect(nsec).toEqual(ng);
		times('loopback-http-https.pcap').forEach((t, i) => expect(Math.abs(t - ng[i])).toBeLessThan(1.5e-6));
	});

	it('reads big-endian pcap and a pcapng with two sections', () => {
		const le = new Uint8Array(readFileSync(path.join(FIXTURES, 'sll.pcap')));
		const be = swapPcap(le);
		const a = analyzeBytes(le).analysis;
		const b = analyzeBytes(be);
		expect(b.file.littleEndian).toBe(false);
		expect(b.analysis.frames.map((f) => f.summary)).toEqual(a.frames.map((f) => f.summary));
		const two = concatBytes([new Uint8Array(readFileSync(HOMEPAGE)), new Uint8Array(readFileSync(path.join(FIXTURES, 'sll2.pcapng')))]);
		const both = analyzeBytes(two);
		const second = analyzeBytes(new Uint8Array(readFileSync(path.join(FIXTURES, 'sll2.pcapng')))).analysis.frames.length;
		expect(both.file.sections).toHaveLength(2);
		expect(both.analysis.frames).toHaveLength(40 + second);
		expect(both.analysis.frames[40].linkType).toBe(276);
		if (hasTshark) {
			const f = path.join(TMP, 'two.pcapng');
			writeFileSync(f, two);
			expect(tsharkFields(f, ['frame.number'])).toHaveLength(40 + second);
			const g = path.join(TMP, 'be.pcap');
			writeFileSync(g, be);
			expect(tsharkFields(g, ['tcp.srcport']).map((r) => Number(r[0]))).toEqual(b.analysis.frames.map((x) => x.sourcePort));
		}
	});

	it('shows TLS records, the SNI, and why the payload cannot be read', () => {
		const { analysis } = analyzeBytes(new Uint8Array(readFileSync(path.join(FIXTURES, 'loopback-http-https.pcapng'))));
		const hello = analysis.frames.find((f) => f.summary.startsWith('Client Hello'));
		expect(hello?.protocol).toBe('TLS');
		expect(hello?.summary).toBe('Client Hello (SNI=localhost)');
		const app = analysis.frames.find((f) => f.protocol === 'TLS' && f.summary === 'Application Data');
		const detail = frameDetail(analysis, app?.number ?? 0);
		const payload = detail?.layers.flatMap((l) => l.fields).find((f) => f.label === 'Payload');
		expect(payload?.value).toMatch(/encrypted/);
	});
});

const BIG = 'x'.repeat(7000);
const EVENTS: TrafficEvent[] = [
	{ ...openEvent(1), label: 'browser → web app' } as TrafficEvent,
	{ type: 'data', conn: 1, timeUs: T0 + 10, from: 'client', bytes: enc('GET /?method=get HTTP/1.1\r\nHost: localhost\r\n\r\n') },
	openEvent(2, T0 + 20, 40100, 5030),
	{ type: 'data', conn: 2, timeUs: T0 + 30, from: 'client', bytes: enc('GET coffee://ducky HTTP/1.1\r\n\r\n') },
	{ type: 'data', conn: 2, timeUs: T0 + 40, from: 'server', bytes: enc('HTCPCP/1.1 200 OK\r\nContent-Type: message/coffeepot\r\n\r\n{}') },
	{ type: 'end', conn: 2, timeUs: T0 + 50, from: 'server' },
	{ type: 'close', conn: 2, timeUs: T0 + 60 },
	{ type: 'data', conn: 1, timeUs: T0 + 70, from: 'server', bytes: enc(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${BIG.length}\r\n\r\n${BIG}`) },
	{ type: 'reset', conn: 1, timeUs: T0 + 80, from: 'client' },
	{ type: 'close', conn: 1, timeUs: T0 + 90 }
];

describe('the pcapng writer', () => {
	const bytes = writeTrafficCapture(EVENTS);
	const file = path.join(TMP, 'written.pcapng');
	writeFileSync(file, bytes);
	const { file: cap, analysis } = analyzeBytes(bytes);

	it('writes handshakes, MSS-sized data, ACKs, FIN and RST that our reader lists', () => {
		expect(cap.error).toBeUndefined();
		expect(cap.sections[0].comments.join(' ')).toMatch(/HTCPCP lab tutor/);
		expect(analysis.frames[0].summary).toMatch(/^\[SYN\] Seq=0 Win=65535 Len=0 MSS=1460/);
		expect(analysis.frames[0].comments).toEqual(['connection 1: browser → web app']);
		expect(analysis.frames[1].summary).toMatch(/^\[SYN, ACK\] Seq=0 Ack=1/);
		expect(Math.max(...analysis.frames.map((f) => f.tcp?.payload.length ?? 0))).toBe(1460);
		expect(analysis.messages.map((m) => `${m.protocol} ${startLine(m.message)}`)).toEqual([
			'HTTP GET /?method=get HTTP/1.1', 'HTCPCP GET coffee://ducky HTTP/1.1', 'HTCPCP HTCPCP/1.1 200 OK', 'HTTP HTTP/1.1 200 OK'
		]);
		expect(analysis.frames.some((f) => f.summary.startsWith('[RST, ACK]'))).toBe(true);
		expect(analysis.frames.filter((f) => f.summary.startsWith('[FIN, ACK]'))).toHaveLength(2);
	});

	it.skipIf(!hasTshark)('tshark reads it without a warning, lists the same frames, and follow gives back the bytes', () => {
		const r = tsharkRun(['-r', file]);
		expect(r.status).toBe(0);
		expect(r.stderr).toBe('');
		expect(r.stdout.trim().split('\n')).toHaveLength(analysis.frames.length);
		const rows = tsharkFields(file, ['frame.number', 'tcp.srcport', 'tcp.dstport', 'tcp.seq', 'tcp.ack', 'tcp.flags', 'tcp.checksum.status', 'ip.checksum.status'], undefined);
		for (const [n, sp, dp, seq, ack, flags] of rows) {
			const f = analysis.frames[Number(n) - 1];
			expect([f.sourcePort, f.destinationPort, f.tcp?.relativeSeq, f.tcp?.relativeAck, f.tcp?.flags]).toEqual([Number(sp), Number(dp), Number(seq), Number(ack), Number(flags)]);
		}
		const checks = tsharkRun(['-r', file, '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-Y', 'tcp.checksum.status == 0 or ip.checksum.status == 0']);
		expect(checks.stdout.trim()).toBe('');
		const follow = tsharkRun(['-r', file, '-q', '-z', 'follow,tcp,raw,0']);
		const hex = follow.stdout.split('\n').filter((l) => /^\t?[0-9a-f]+$/.test(l));
		const client = hex.filter((l) => !l.startsWith('\t')).join('');
		const server = hex.filter((l) => l.startsWith('\t')).map((l) => l.slice(1)).join('');
		const asHex = (e: TrafficEvent[]) => e.map((x) => Buffer.from((x as { bytes: Uint8Array }).bytes).toString('hex')).join('');
		expect(client).toBe(asHex(EVENTS.filter((e) => e.type === 'data' && e.conn === 1 && e.from === 'client')));
		expect(server).toBe(asHex(EVENTS.filter((e) => e.type === 'data' && e.conn === 1 && e.from === 'server')));
	});

	it('the live analyzer gives the same messages on the same frame numbers', () => {
		const live = new TrafficAnalyzer();
		const seen: Array<[number, string]> = [];
		let frames = 0;
		for (const e of EVENTS) {
			const u = live.push(e);
			frames += u.frames.length;
			for (const m of u.messages) seen.push([m.frame, startLine(m.message)]);
		}
		for (const m of live.finish().messages) seen.push([m.frame, startLine(m.message)]);
		expect(frames).toBe(analysis.frames.length);
		expect(seen).toEqual(analysis.messages.map((m) => [m.frame, startLine(m.message)]));
		expect(live.snapshot().frames.map((f) => f.summary)).toEqual(analysis.frames.map((f) => f.summary));
	});
});

describe('damaged input', () => {
	const good = new Uint8Array(readFileSync(HOMEPAGE));

	it('a truncated file lists what came before and says where it broke', () => {
		const cut = good.subarray(0, 5000);
		const { file, analysis } = analyzeBytes(cut);
		expect(file.error?.code).toBe('CAPTURE_ERR_TRUNCATED');
		expect(file.error?.message).toMatch(/cut off/);
		expect(file.error?.offset).toBeLessThan(5000);
		expect(analysis.frames.length).toBeGreaterThan(5);
		expect(analysis.frames[4].summary).toBe('GET /?method=get HTTP/1.1');
	});

	it('a non-capture file says what it starts with', () => {
		const { file } = analyzeBytes(enc('GET / HTTP/1.1\r\n\r\n'));
		expect(file.error?.code).toBe('CAPTURE_ERR_NOT_A_CAPTURE');
		expect(file.error?.message).toMatch(/starts with 47 45 54 20/);
		expect(analyzeBytes(new Uint8Array(0)).file.error?.offset).toBe(0);
	});

	it('a corrupt block length is reported at its byte (here the statistics block after the last frame)', () => {
		const bad = good.slice();
		new DataView(bad.buffer).setUint32(good.length - 4, 12345, true);
		const { file, analysis } = analyzeBytes(bad);
		expect(file.error?.code).toBe('CAPTURE_ERR_CORRUPT');
		expect(file.error?.offset).toBe(good.length - 4);
		expect(analysis.frames).toHaveLength(40);
	});

	it('fuzzed captures give errors or frames, never exceptions', () => {
		const small = new Uint8Array(readFileSync(path.join(FIXTURES, 'sll.pcap')));
		const smallNg = new Uint8Array(readFileSync(path.join(FIXTURES, 'sll2.pcapng')));
		fc.assert(
			fc.property(
				fc.constantFrom(small, smallNg, good),
				fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }),
				fc.nat(),
				(base, flips, cut) => {
					const b = base.slice(0, base.length - (cut % 64));
					for (const [at, v] of flips) b[at % b.length] = v;
					const { analysis } = analyzeBytes(b);
					for (const f of analysis.frames) expect(typeof f.summary).toBe('string');
				}
			),
			{ numRuns: 300, seed: 2324 }
		);
	});
});
