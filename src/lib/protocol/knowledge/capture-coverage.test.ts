// Every header and status that appears in a test capture must have an
// annotation. With tshark installed the names are read from the captures
// themselves: HTTP lines as Wireshark dissects them, and every TCP stream
// (HTCPCP included, which Wireshark cannot dissect) through the project's
// MessageParser. Without tshark, the checked-in list below stands in.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { HttpMessage } from '../message';
import { MessageParser } from '../parser';
import { annotateHeader, annotateStatus, type HeaderContext } from './index';

const REPO = resolve(fileURLToPath(new URL('../../../../', import.meta.url)));
const TSHARK = '/usr/bin/tshark';
const RFC_RE = /^RFC \d{4} §\d+(\.\d+)*$/;

/** What the course capture homepage_coffee.pcapng contains, checked against it when tshark exists. */
const HOMEPAGE_HEADERS = [
	'Host', 'Sec-Fetch-Site', 'Connection', 'Upgrade-Insecure-Requests', 'Sec-Fetch-Mode', 'Accept', 'User-Agent',
	'Accept-Language', 'Sec-Fetch-Dest', 'Accept-Encoding', 'Server', 'Date', 'Content-Type', 'Content-Length',
	'Referer', 'Content-Disposition', 'Last-Modified', 'Cache-Control', 'ETag'
];
const HOMEPAGE_STATUSES = ['HTCPCP 200', 'HTTP 200'];

/** Captures the tests can see: the course's shared ones and any checked into the repo's fixture folders. */
function captureFiles(): string[] {
	const out: string[] = [];
	const add = (dir: string, depth: number): void => {
		if (!existsSync(dir) || depth < 0) return;
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
			const path = join(dir, entry.name);
			if (entry.isDirectory()) add(path, depth - 1);
			else if (/\.pcap(ng)?$/.test(entry.name)) out.push(path);
		}
	};
	add(resolve(REPO, '../shared/captures'), 0);
	add(join(REPO, 'src/lib/protocol'), 3);
	add(join(REPO, 'tests'), 3);
	return out.sort();
}

function tshark(file: string, fields: string[]): string[][] {
	const args = ['-r', file, '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=a', '-E', 'aggregator=\u0001'];
	for (const f of fields) args.push('-e', f);
	const text = execFileSync(TSHARK, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000, maxBuffer: 256 * 1024 * 1024 });
	return text.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
}

interface Seen {
	/** Header name → the context of one message it appeared in. */
	headers: Map<string, { name: string; value: string; ctx: HeaderContext }>;
	/** `HTTP 200`, `HTCPCP 200`: each status with the protocol it was sent in. */
	statuses: Set<string>;
	messages: number;
}

/** Reassembles each TCP direction and parses it with the project's parser. */
function fromStreams(file: string, seen: Seen): void {
	const rows = tshark(file, ['tcp.stream', 'tcp.srcport', 'tcp.flags.syn', 'tcp.flags.ack', 'tcp.payload']);
	const clients = new Map<string, string>();
	const flows = new Map<string, Uint8Array[]>();
	for (const [stream, port, syn, ack, hex] of rows) {
		if ((syn === '1' || syn === 'True') && (ack === '0' || ack === 'False') && !clients.has(stream)) clients.set(stream, port);
		if (!hex) continue;
		const key = `${stream}\t${port}`;
		const bytes = new Uint8Array(hex.length / 2);
		for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
		(flows.get(key) ?? flows.set(key, []).get(key)!).push(bytes);
	}
	const requests = new Map<string, HttpMessage[]>();
	const parsed: Array<[string, boolean, HttpMessage[]]> = [];
	for (const [key, chunks] of flows) {
		const [stream, port] = key.split('\t');
		if (chunks[0][0] === 0x16 || chunks[0][0] === 0x17) continue; // TLS records: nothing readable
		const isRequest = clients.has(stream) ? clients.get(stream) === port : !/^(HTTP|HTCPCP)\//.test(String.fromCharCode(...chunks[0].subarray(0, 7)));
		const parser = new MessageParser(isRequest ? 'request' : 'response');
		const msgs: HttpMessage[] = [];
		try {
			for (const c of chunks) msgs.push(...parser.push(c));
			msgs.push(...parser.finish());
		} catch {
			// A cut-off or non-HTTP stream: keep the messages that did parse.
		}
		if (isRequest) requests.set(stream, msgs);
		parsed.push([stream, isRequest, msgs]);
	}
	for (const [stream, isRequest, msgs] of parsed) {
		msgs.forEach((m, i) => {
			const request = isRequest ? m : requests.get(stream)?.[i];
			const target = request?.target ?? '';
			const coffee = m.protocol === 'HTCPCP' || (/^[^/]+:\/\//.test(target) && !/^https?:/i.test(target));
			const protocol = coffee ? 'HTCPCP' : 'HTTP';
			seen.messages++;
			if (m.status !== undefined) seen.statuses.add(`${protocol} ${m.status}`);
			for (const h of [...m.headers, ...m.trailers]) {
				const ctx: HeaderContext = { kind: m.kind, protocol, method: request?.method, status: m.status };
				seen.headers.set(h.name.toLowerCase(), { name: h.name, value: h.value, ctx });
			}
		});
	}
}

/** The HTTP header lines Wireshark itself dissected. */
function fromDissector(file: string, seen: Seen): void {
	for (const [reqLines, resLines, code] of tshark(file, ['http.request.line', 'http.response.line', 'http.response.code'])) {
		for (const [lines, kind] of [[reqLines, 'request'], [resLines, 'response']] as const) {
			for (const line of (lines ?? '').split('\u0001')) {
				const colon = line.indexOf(':');
				if (colon <= 0) continue;
				const name = line.slice(0, colon).trim();
				if (!seen.headers.has(name.toLowerCase())) {
					seen.headers.set(name.toLowerCase(), { name, value: line.slice(colon + 1).replace(/\\r\\n$/, '').trim(), ctx: { kind, protocol: 'HTTP' } });
				}
			}
		}
		if (code) for (const c of code.split('\u0001')) seen.statuses.add(`HTTP ${Number(c)}`);
	}
}

const haveTshark = existsSync(TSHARK);
const files = haveTshark ? captureFiles() : [];

describe('every header and status in the test captures is annotated', () => {
	it.runIf(haveTshark && files.length > 0)('reads them from the captures with tshark and the project parser', () => {
		const homepage = files.find((f) => f.endsWith('homepage_coffee.pcapng'));
		for (const file of files) {
			const seen: Seen = { headers: new Map(), statuses: new Set(), messages: 0 };
			fromStreams(file, seen);
			fromDissector(file, seen);
			for (const { name, value, ctx } of seen.headers.values()) {
				const a = annotateHeader(name, value, ctx);
				expect(a.known, `${file}: header ${name} has no annotation`).toBe(true);
				expect(a.meaning.trim(), `${file}: ${name}`).not.toBe('');
				expect(a.explanation.trim(), `${file}: ${name}`).not.toBe('');
				expect(a.inThisMessage.trim(), `${file}: ${name}`).not.toBe('');
				expect(a.rfc, `${file}: ${name}`).toMatch(RFC_RE);
			}
			for (const pair of seen.statuses) {
				const [protocol, code] = pair.split(' ') as ['HTTP' | 'HTCPCP', string];
				const a = annotateStatus(Number(code), protocol);
				expect(a, `${file}: ${pair} has no annotation`).toBeDefined();
				expect(a!.rfc).toMatch(RFC_RE);
			}
			if (file === homepage) {
				// The checked-in list must stay true to the capture it describes.
				expect(seen.messages).toBe(6);
				const names = [...seen.headers.values()].map((h) => h.name);
				expect(names.sort()).toEqual([...HOMEPAGE_HEADERS].sort());
				expect([...seen.statuses].sort()).toEqual(HOMEPAGE_STATUSES);
			}
		}
	});

	it('annotates the checked-in list from the course capture', () => {
		for (const name of HOMEPAGE_HEADERS) {
			const a = annotateHeader(name, 'x', { kind: 'request', protocol: 'HTTP' });
			expect(a.known, name).toBe(true);
			expect(a.rfc, name).toMatch(RFC_RE);
		}
		for (const pair of HOMEPAGE_STATUSES) {
			const [protocol, code] = pair.split(' ') as ['HTTP' | 'HTCPCP', string];
			expect(annotateStatus(Number(code), protocol)!.rfc).toMatch(RFC_RE);
		}
	});
});
