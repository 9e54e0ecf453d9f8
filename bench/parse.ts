/**
 * npm run bench:parse — throughput of the message parser and of the whole
 * capture pipeline (read pcapng → decode → reassemble → parse → summarize),
 * next to a plain Buffer.indexOf scan for "\r\n\r\n" over the same bytes,
 * measured in the same run.
 *
 * The traffic is generated in memory (seeded, so every run sees the same
 * bytes) and looks like this lab's: a browser loading the web app's pages,
 * stylesheets and JSON with a browser's header set, and the web app talking
 * HTCPCP to the pot (BREW, GET, PROPFIND, WHEN and their replies). Bodies are
 * HTML, CSS and JSON made of words, not one repeated byte, so the indexOf
 * baseline scans text as varied as the parser does.
 *
 * Two references put the ratio in scale: decoding each head and cutting it
 * into strings with nothing else, and Node's own llhttp (C) on the plain-HTTP
 * part of the traffic.
 *
 * `--quick` (or BENCH_QUICK=1) generates ~16 MB instead of ~80 MB.
 */

import { performance } from 'node:perf_hooks';
import { writeTrafficCapture } from '../src/lib/protocol/capture/traffic-writer';
import { readCapture } from '../src/lib/protocol/capture/read';
import { analyzeCapture } from '../src/lib/protocol/analysis/frames';
import type { TrafficEvent } from '../src/lib/protocol/analysis/events';
import { MessageParser, serializeRequest, serializeResponse, withLength, concatBytes, type Header } from '../src/lib/protocol/index';

const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const TARGET_BYTES = (QUICK ? 16 : 80) * 1024 * 1024;
const ROUNDS = QUICK ? 3 : 5;
const WARMUP = 2;

let seed = 7;
const rand = (n: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % n;
const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)];

const WORDS = (
	'coffee pot brew milk cream whole skim vanilla almond raspberry cinnamon sugar kettle tea darjeeling earl grey ' +
	'the a of to and in is that for it as with was on be by this are or from at an which have not protocol request ' +
	'response header status teapot server client connection network packet frame segment lab student exercise ' +
	'capture wireshark stream message body length content type accept additions when pour stop start ready'
).split(' ');

function sentence(words: number): string {
	const out: string[] = [];
	for (let i = 0; i < words; i++) out.push(pick(WORDS));
	const s = out.join(' ');
	return s[0].toUpperCase() + s.slice(1) + '.';
}

function html(size: number): string {
	const parts = ['<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>HTCPCP lab</title>\n<link rel="stylesheet" href="/assets/site.css">\n</head>\n<body>\n<main class="page">\n'];
	let n = parts[0].length;
	while (n < size) {
		const block = pick([
			`<h2 id="s${rand(999)}">${sentence(3 + rand(4))}</h2>\n`,
			`<p>${sentence(8 + rand(30))} ${sentence(5 + rand(20))}</p>\n`,
			`<ul>\n${Array.from({ length: 2 + rand(5) }, () => `  <li><a href="/pot/${rand(9)}">${sentence(2 + rand(6))}</a></li>`).join('\n')}\n</ul>\n`,
			`<pre><code>BREW coffee://pot-${rand(4)} HTCPCP/1.0\nContent-Type: application/coffee-pot-command\n\nstart</code></pre>\n`,
			`<button class="btn btn-${pick(['brew', 'stop', 'pour'])}" data-pot="${rand(4)}">${pick(WORDS)}</button>\n`
		]);
		parts.push(block);
		n += block.length;
	}
	parts.push('</main>\n<script src="/assets/app.js" defer></script>\n</body>\n</html>\n');
	return parts.join('');
}

function css(size: number): string {
	const parts: string[] = [];
	let n = 0;
	while (n < size) {
		const rule = `.${pick(WORDS)}-${pick(WORDS)} ${pick(['', '> a', 'li', ':hover', 'p'])} {\n  color: #${rand(0xffffff).toString(16).padStart(6, '0')};\n  margin: ${rand(32)}px ${rand(32)}px;\n  font: ${12 + rand(10)}px/1.${rand(9)} system-ui, sans-serif;\n}\n`;
		parts.push(rule);
		n += rule.length;
	}
	return parts.join('');
}

function json(items: number): string {
	const pots = Array.from({ length: items }, (_, i) => ({
		id: `pot-${i}`,
		state: pick(['idle', 'brewing', 'ready', 'pouring']),
		additions: Array.from({ length: rand(3) }, () => pick(['cream', 'whole-milk', 'vanilla', 'raspberry', 'sugar'])),
		temperature: 60 + rand(35),
		note: sentence(4 + rand(10))
	}));
	return JSON.stringify({ pots, updated: 1_700_000_000 + rand(1e6) });
}

const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

function browserHeaders(accept: string, referer: boolean): Header[] {
	const h: Header[] = [
		{ name: 'Host', value: 'localhost:5173' },
		{ name: 'Connection', value: 'keep-alive' },
		{ name: 'sec-ch-ua', value: '"Chromium";v="126", "Not.A/Brand";v="24"' },
		{ name: 'sec-ch-ua-mobile', value: '?0' },
		{ name: 'sec-ch-ua-platform', value: '"Linux"' },
		{ name: 'User-Agent', value: UA },
		{ name: 'Accept', value: accept },
		{ name: 'Sec-Fetch-Site', value: 'same-origin' },
		{ name: 'Sec-Fetch-Mode', value: accept.startsWith('text/html') ? 'navigate' : 'no-cors' },
		{ name: 'Accept-Encoding', value: 'gzip, deflate, br, zstd' },
		{ name: 'Accept-Language', value: 'en-GB,en;q=0.9,fr;q=0.8' },
		{ name: 'Cookie', value: `session=${rand(1e9).toString(36)}${rand(1e9).toString(36)}; theme=dark` }
	];
	if (referer) h.push({ name: 'Referer', value: 'http://localhost:5173/lessons/01-architecture' });
	return h;
}

function serverHeaders(type: string, body: string, extra: Header[] = []): Header[] {
	return withLength(
		[
			{ name: 'Date', value: 'Tue, 14 May 2024 09:12:55 GMT' },
			{ name: 'Server', value: 'htcpcp-lab' },
			{ name: 'Content-Type', value: type },
			...extra
		],
		body
	);
}

/** One browser exchange or one pot exchange: [request bytes, response bytes]. */
function exchange(pot: boolean): [Uint8Array, Uint8Array] {
	if (pot) {
		const method = pick(['BREW', 'BREW', 'GET', 'PROPFIND', 'WHEN']);
		const additions = pick(['', 'whole-milk', 'cream; vanilla', 'skim-milk;0.5, raspberry']);
		const cmd = method === 'BREW' ? pick(['start', 'stop']) : '';
		const headers: Header[] = [{ name: 'Host', value: 'localhost:5030' }, { name: 'User-Agent', value: 'htcpcp-webapp/0.1' }];
		if (additions) headers.push({ name: 'Accept-Additions', value: additions });
		if (cmd) headers.push({ name: 'Content-Type', value: 'application/coffee-pot-command' });
		const req = serializeRequest({ method, target: `coffee://localhost:5030/pot-${rand(4)}`, version: 'HTCPCP/1.0', headers: withLength(headers, cmd), body: cmd });
		const teapot = rand(10) === 0;
		const body = teapot ? "I'm a teapot\n" : method === 'PROPFIND' ? json(1 + rand(4)) : `${sentence(6 + rand(12))}\n`;
		const resp = serializeResponse({
			version: 'HTCPCP/1.0',
			status: teapot ? 418 : 200,
			headers: serverHeaders(method === 'PROPFIND' ? 'application/json' : 'message/coffeepot', body, [{ name: 'Safe', value: 'yes' }]),
			body
		});
		return [req, resp];
	}
	const kind = rand(10);
	let target: string;
	let accept: string;
	let type: string;
	let body: string;
	if (kind < 3) {
		target = `/lessons/${pick(['01-architecture', '02-brew', '03-additions', '04-capture'])}`;
		accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
		type = 'text/html; charset=utf-8';
		body = html(2_000 + rand(40_000));
	} else if (kind < 5) {
		target = `/assets/${pick(WORDS)}-${rand(1e6).toString(36)}.css`;
		accept = 'text/css,*/*;q=0.1';
		type = 'text/css';
		body = css(1_000 + rand(20_000));
	} else {
		target = `/api/pots?since=${rand(1e6)}`;
		accept = 'application/json';
		type = 'application/json';
		body = json(1 + rand(12));
	}
	const req = serializeRequest({ method: 'GET', target, headers: browserHeaders(accept, kind >= 3) });
	const extra: Header[] = [
		{ name: 'Cache-Control', value: kind < 5 ? 'public, max-age=31536000, immutable' : 'no-store' },
		{ name: 'ETag', value: `"${rand(1e9).toString(16)}-${rand(1e9).toString(16)}"` },
		{ name: 'Vary', value: 'Accept-Encoding' }
	];
	if (kind < 5) extra.push({ name: 'Last-Modified', value: 'Mon, 13 May 2024 17:40:02 GMT' });
	const resp = serializeResponse({ version: 'HTTP/1.1', status: 200, headers: serverHeaders(type, body, extra), body });
	return [req, resp];
}

interface Traffic {
	events: TrafficEvent[];
	requests: Uint8Array;
	responses: Uint8Array;
	/** The browser ↔ web app exchanges alone (plain HTTP, no HTCPCP). */
	httpRequests: Uint8Array;
	httpResponses: Uint8Array;
}

function buildTraffic(): Traffic {
	const events: TrafficEvent[] = [];
	const reqParts: Uint8Array[] = [];
	const respParts: Uint8Array[] = [];
	const httpReqParts: Uint8Array[] = [];
	const httpRespParts: Uint8Array[] = [];
	let t = 1_700_000_000_000_000;
	let total = 0;
	let conn = 0;
	while (total < TARGET_BYTES) {
		conn++;
		const pot = conn % 3 === 0;
		events.push({
			type: 'open',
			conn,
			timeUs: (t += 50),
			client: { address: '127.0.0.1', port: 20000 + (conn % 40000) },
			server: { address: '127.0.0.1', port: pot ? 5030 : 5173 },
			label: pot ? 'web app → pot' : 'browser → web app'
		});
		const count = pot ? 1 : 2 + rand(10);
		for (let k = 0; k < count; k++) {
			const [req, resp] = exchange(pot);
			events.push({ type: 'data', conn, timeUs: (t += 10), from: 'client', bytes: req });
			events.push({ type: 'data', conn, timeUs: (t += 300), from: 'server', bytes: resp });
			reqParts.push(req);
			respParts.push(resp);
			if (!pot) {
				httpReqParts.push(req);
				httpRespParts.push(resp);
			}
			total += req.length + resp.length;
		}
		events.push({ type: 'end', conn, timeUs: (t += 10), from: 'server' });
		events.push({ type: 'close', conn, timeUs: (t += 10) });
	}
	return {
		events,
		requests: concatBytes(reqParts),
		responses: concatBytes(respParts),
		httpRequests: concatBytes(httpReqParts),
		httpResponses: concatBytes(httpRespParts)
	};
}

/** Best of ROUNDS timed runs, after WARMUP untimed ones (the JIT settles on the hot paths first). */
function best(run: () => number): { ms: number; result: number } {
	let ms = Infinity;
	let result = 0;
	for (let i = 0; i < WARMUP; i++) run();
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
console.log(`generated capture: ${(capture.length / 1024 / 1024).toFixed(1)} MB, ${(streamBytes / 1024 / 1024).toFixed(1)} MB of HTTP/HTCPCP stream bytes${QUICK ? ' (quick)' : ''}`);

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

/**
 * A reference, not a parser: decode each head and cut it into header strings,
 * with no checks, no framing and no bodies. Any parser that hands back headers
 * as strings pays at least this, so it bounds what the ratio above can reach.
 */
const heads: Uint8Array[] = [];
for (const [bytes, mode] of [[built.requests, 'request'], [built.responses, 'response']] as const) {
	for (const m of new MessageParser(mode, { maxBodyBytes: 1 << 20 }).push(bytes)) heads.push(bytes.subarray(m.offset, m.offset + m.headLength));
}
const headDecoder = new TextDecoder();
function splitHeads(): number {
	let n = 0;
	for (const bytes of heads) {
		const head = headDecoder.decode(bytes);
		const fields: Header[] = [];
		const end = head.length - 2;
		for (let at = head.indexOf('\r\n') + 2; at < end; ) {
			const colon = head.indexOf(':', at);
			const eol = head.indexOf('\r', colon);
			fields.push({ name: head.slice(at, colon), value: head.slice(colon + 1, eol).trim() });
			at = eol + 2;
		}
		n += fields.length;
	}
	return n;
}
const floor = best(splitHeads);

const readOnly = best(() => readCapture(capture).packets.length);
const pipeline = best(() => analyzeCapture(readCapture(capture)).messages.length);

const rows: Array<[string, number, number]> = [
	['indexOf \\r\\n\\r\\n over stream bytes', streamBytes, scanStream.ms],
	['MessageParser (1460-byte chunks)', streamBytes, parse.ms],
	['  reference: head decode + split only', streamBytes, floor.ms],
	['indexOf \\r\\n\\r\\n over capture bytes', capture.length, scanCapture.ms],
	['capture reader only', capture.length, readOnly.ms],
	['full capture pipeline', capture.length, pipeline.ms]
];
for (const [name, bytes, ms] of rows) console.log(`${name.padEnd(40)} ${mbps(bytes, ms).toFixed(0).padStart(6)} MB/s  (${ms.toFixed(1)} ms)`);
console.log(`messages: parser ${parse.result}, pipeline ${pipeline.result}, separators ${scanStream.result}`);
const parserRatio = scanStream.ms / parse.ms;
const pipelineRatio = scanCapture.ms / pipeline.ms;
console.log(`ratio parser / indexOf:   ${(parserRatio * 100).toFixed(1)}% (goal ≥ 25%)`);
console.log(`ratio pipeline / indexOf: ${(pipelineRatio * 100).toFixed(1)}% (goal ≥ 25%)`);
console.log(`reference / indexOf:      ${((scanStream.ms / floor.ms) * 100).toFixed(1)}% (decoding heads and cutting them into strings, nothing else)`);

/**
 * A second reference: Node's own HTTP parser (llhttp, written in C, handing
 * header names and values back to JavaScript as strings, as ours does) on the
 * plain-HTTP part of the same traffic, fed the same chunks. It cannot read
 * HTCPCP (BREW, WHEN and HTCPCP/1.0 are not HTTP to it), hence the subset. It
 * is reached through a deprecated internal binding, so the rows are skipped on
 * a Node that no longer has it.
 */
interface LlhttpClass {
	new (): LlhttpParser;
	REQUEST: number;
	RESPONSE: number;
	kOnHeaders: number;
	kOnHeadersComplete: number;
	kOnBody: number;
	kOnMessageComplete: number;
}
interface LlhttpParser {
	initialize(kind: number, resource: object): void;
	execute(bytes: Buffer): number | Error;
	[slot: number]: unknown;
}

function nodeLlhttp(): LlhttpClass | null {
	const quiet = process.noDeprecation;
	process.noDeprecation = true;
	try {
		return (process as unknown as { binding(name: string): { HTTPParser?: LlhttpClass } }).binding('http_parser').HTTPParser ?? null;
	} catch {
		return null;
	} finally {
		process.noDeprecation = quiet;
	}
}

function llhttpAll(H: LlhttpClass, bytes: Uint8Array, mode: 'request' | 'response'): number {
	const p = new H();
	let n = 0;
	p.initialize(mode === 'request' ? H.REQUEST : H.RESPONSE, {});
	p[H.kOnHeaders] = () => {};
	p[H.kOnHeadersComplete] = () => 0;
	p[H.kOnBody] = () => {};
	p[H.kOnMessageComplete] = () => {
		n++;
	};
	const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
	for (let at = 0; at < all.length; at += CHUNK) {
		const r = p.execute(all.subarray(at, at + CHUNK));
		if (r instanceof Error) throw r;
	}
	return n;
}

const H = nodeLlhttp();
const httpBytes = built.httpRequests.length + built.httpResponses.length;
const httpBuf = Buffer.concat([Buffer.from(built.httpRequests), Buffer.from(built.httpResponses)]);
const httpScan = best(() => scan(httpBuf));
const httpParse = best(() => parseAll(built.httpRequests, 'request') + parseAll(built.httpResponses, 'response'));
console.log(`\nplain-HTTP subset (browser ↔ web app, ${(httpBytes / 1024 / 1024).toFixed(1)} MB), same 1460-byte chunks:`);
console.log(`${'  indexOf \\r\\n\\r\\n'.padEnd(40)} ${mbps(httpBytes, httpScan.ms).toFixed(0).padStart(6)} MB/s`);
console.log(`${'  MessageParser'.padEnd(40)} ${mbps(httpBytes, httpParse.ms).toFixed(0).padStart(6)} MB/s  ${((httpScan.ms / httpParse.ms) * 100).toFixed(1)}% of indexOf`);
if (H) {
	const ll = best(() => llhttpAll(H, built.httpRequests, 'request') + llhttpAll(H, built.httpResponses, 'response'));
	if (ll.result !== httpParse.result) console.log(`  (llhttp counted ${ll.result} messages, MessageParser ${httpParse.result})`);
	console.log(`${"  Node's llhttp (C)".padEnd(40)} ${mbps(httpBytes, ll.ms).toFixed(0).padStart(6)} MB/s  ${((httpScan.ms / ll.ms) * 100).toFixed(1)}% of indexOf`);
} else {
	console.log("  Node's llhttp: not reachable on this Node version (process.binding('http_parser'))");
}
