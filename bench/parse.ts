/**
 * npm run bench:parse — throughput of the message parser and of the whole
 * capture pipeline (read pcapng → decode → reassemble → parse), next to a plain
 * Buffer.indexOf scan for "\r\n\r\n" over the same bytes, measured in the
 * same run. The capture (~80 MB) is generated in memory with the pcapng writer.
 */

import { performance } from 'node:perf_hooks';
import { writeTrafficCapture } from '../src/lib/protocol/capture/traffic-writer';
import { readCapture } from '../src/lib/protocol/capture/read';
import { analyzeCapture } from '../src/lib/protocol/analysis/frames';
import type { TrafficEvent } from '../src/lib/protocol/analysis/events';
import { MessageParser, serializeRequest, serializeResponse, withLength, concatBytes } from '../src/lib/protocol/index';

const TARGET_BYTES = 80 * 1024 * 1024;
const ROUNDS = 3;

function buildTraffic(): { events: TrafficEvent[]; requests: Uint8Array; responses: Uint8Array } {
	const events: TrafficEvent[] = [];
	const reqParts: Uint8Array[] = [];
	const respParts: Uint8Array[] = [];
	let t = 1_700_000_000_000_000;
	let total = 0;
	let conn = 0;
	let seed = 7;
	const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
	while (total < TARGET_BYTES) {
		conn++;
		events.push({ type: 'open', conn, timeUs: (t += 50), client: { address: '127.0.0.1', port: 20000 + (conn % 40000) }, server: { address: '127.0.0.1', port: conn % 2 ? 5030 : 5031 } });
		for (let k = 0; k < 8; k++) {
			const htcpcp = conn % 2 === 1;
			const req = htcpcp
				? serializeRequest({ method: 'BREW', target: 'coffee://ducky', headers: withLength([{ name: 'Content-Type', value: 'application/coffee-pot-command' }, { name: 'Accept-Additions', value: 'cream; vanilla' }], 'start'), body: 'start' })
				: serializeRequest({ method: 'GET', target: `/assets/file-${k}.css`, headers: [{ name: 'Host', value: 'localhost:5031' }, { name: 'User-Agent', value: 'bench/1.0' }, { name: 'Accept', value: 'text/css,*/*;q=0.1' }] });
			const body = 'c'.repeat(500 + rand(30000));
			const resp = serializeResponse({
				version: htcpcp ? 'HTCPCP/1.1' : 'HTTP/1.1',
				status: 200,
				headers: withLength([{ name: 'Content-Type', value: htcpcp ? 'message/coffeepot' : 'text/css' }, { name: 'Server', value: 'bench' }], body),
				body
			});
			events.push({ type: 'data', conn, timeUs: (t += 10), from: 'client', bytes: req });
			events.push({ type: 'data', conn, timeUs: (t += 10), from: 'server', bytes: resp });
			reqParts.push(req);
			respParts.push(resp);
			total += req.length + resp.length;
		}
		events.push({ type: 'end', conn, timeUs: (t += 10), from: 'server' });
		events.push({ type: 'close', conn, timeUs: (t += 10) });
	}
	return { events, requests: concatBytes(reqParts), responses: concatBytes(respParts) };
}

function best(run: () => number): { ms: number; result: number } {
	let ms = Infinity;
	let result = 0;
	for (let i = 0; i < ROUNDS; i++) {
		const t0 = performance.now();
		result = run();
		ms = Math.min(ms, performance.now() - t0);
	}
	return { ms, result };
}

const mbps = (bytes: number, ms: number) => bytes / 1024 / 1024 / (ms / 1000);

const built = buildTraffic();
const capture = writeTrafficCapture(built.events);
const captureBuf = Buffer.from(capture.buffer, capture.byteOffset, capture.byteLength);
const streamBytes = built.requests.length + built.responses.length;
console.log(`generated capture: ${(capture.length / 1024 / 1024).toFixed(1)} MB, ${(streamBytes / 1024 / 1024).toFixed(1)} MB of HTTP/HTCPCP stream bytes`);

const SEP = Buffer.from('\r\n\r\n');
function scan(buf: Buffer): number {
	let n = 0;
	for (let at = buf.indexOf(SEP); at !== -1; at = buf.indexOf(SEP, at + 4)) n++;
	return n;
}
const streamBuf = Buffer.concat([Buffer.from(built.requests), Buffer.from(built.responses)]);
const scanStream = best(() => scan(streamBuf));
const scanCapture = best(() => scan(captureBuf));

const CHUNK = 1460;
function parseAll(bytes: Uint8Array, mode: 'request' | 'response'): number {
	const p = new MessageParser(mode, { maxBodyBytes: 1 << 20 });
	let n = 0;
	for (let at = 0; at < bytes.length; at += CHUNK) n += p.push(bytes.subarray(at, at + CHUNK)).length;
	return n;
}
const parse = best(() => parseAll(built.requests, 'request') + parseAll(built.responses, 'response'));

const pipeline = best(() => {
	const a = analyzeCapture(readCapture(capture));
	return a.messages.length;
});
const readOnly = best(() => readCapture(capture).packets.length);

const rows: Array<[string, number, number]> = [
	['indexOf \\r\\n\\r\\n over stream bytes', streamBytes, scanStream.ms],
	['MessageParser (1460-byte chunks)', streamBytes, parse.ms],
	['indexOf \\r\\n\\r\\n over capture bytes', capture.length, scanCapture.ms],
	['capture reader only', capture.length, readOnly.ms],
	['full capture pipeline', capture.length, pipeline.ms]
];
for (const [name, bytes, ms] of rows) console.log(`${name.padEnd(40)} ${mbps(bytes, ms).toFixed(0).padStart(6)} MB/s  (${ms.toFixed(0)} ms)`);
console.log(`messages: parser ${parse.result}, pipeline ${pipeline.result}, separators ${scanStream.result}`);
const parserRatio = mbps(streamBytes, parse.ms) / mbps(streamBytes, scanStream.ms);
const pipelineRatio = mbps(capture.length, pipeline.ms) / mbps(capture.length, scanCapture.ms);
console.log(`ratio parser / indexOf:   ${(parserRatio * 100).toFixed(1)}% (goal ≥ 25%)`);
console.log(`ratio pipeline / indexOf: ${(pipelineRatio * 100).toFixed(1)}% (goal ≥ 25%)`);
