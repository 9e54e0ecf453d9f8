// The knowledge base: every required status, method, header, scheme, TCP flag
// and TLS type has a real annotation, and the per-message texts say what the
// value in front of the student means.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../bytes';
import { COFFEE_SCHEMES } from '../constants';
import { MessageParser } from '../parser';
import {
	annotateHeader,
	annotateMessage,
	annotateMethod,
	annotateScheme,
	annotateSni,
	annotateStatus,
	annotateTcpField,
	annotateTcpFlags,
	annotateTlsHandshake,
	annotateTlsRecord,
	formatRfcRef,
	isKnownHeader,
	knownHeaderNames,
	knownStatusCodes,
	parseRfcRef,
	TLS_UNREADABLE,
	type Annotation,
	type HeaderContext
} from './index';

const RFC_RE = /^RFC \d{4} §\d+(\.\d+)*$/;

function expectAnnotation(a: Annotation | undefined, what: string): void {
	expect(a, what).toBeDefined();
	expect(a!.meaning.trim(), `${what}: meaning`).not.toBe('');
	expect(a!.meaning, `${what}: meaning is one line`).not.toContain('\n');
	expect(a!.explanation.trim().length, `${what}: explanation`).toBeGreaterThan(20);
	expect(a!.rfc, `${what}: rfc`).toMatch(RFC_RE);
}

const REQUIRED_STATUSES = [100, 200, 204, 300, 301, 302, 303, 304, 307, 400, 401, 403, 404, 405, 406, 408, 409, 413, 415, 418, 426, 431, 500, 501, 502, 503, 504, 505];

describe('statuses', () => {
	it('annotates every required code in both protocols', () => {
		for (const code of REQUIRED_STATUSES) {
			expectAnnotation(annotateStatus(code), `HTTP ${code}`);
			expectAnnotation(annotateStatus(code, 'HTCPCP'), `HTCPCP ${code}`);
		}
		expect(knownStatusCodes()).toEqual(expect.arrayContaining(REQUIRED_STATUSES));
	});

	it('cites the right documents for the codes that differ by protocol', () => {
		expect(annotateStatus(300, 'HTTP')!.rfc).toBe('RFC 9110 §15.4.1');
		expect(annotateStatus(300, 'HTCPCP')!.rfc).toBe('RFC 7168 §2.3.1');
		expect(annotateStatus(300, 'HTCPCP')!.meaning).toMatch(/Multiple Options/);
		expect(annotateStatus(300, 'HTTP')!.meaning).toMatch(/Multiple Choices/);
		expect(annotateStatus(418, 'HTCPCP')!.rfc).toBe('RFC 2324 §2.3.2');
		expect(annotateStatus(418, 'HTCPCP')!.explanation).toContain('RFC 7168 §2.3.3');
		expect(annotateStatus(418, 'HTTP')!.rfc).toBe('RFC 9110 §15.5.19');
		expect(annotateStatus(406, 'HTCPCP')!.rfc).toBe('RFC 2324 §2.3.1');
		expect(annotateStatus(431)!.rfc).toBe('RFC 6585 §5');
		expect(annotateStatus(304)!.explanation).toMatch(/If-None-Match/);
	});

	it('returns undefined for a code it does not know', () => {
		expect(annotateStatus(299)).toBeUndefined();
		expect(annotateStatus(0, 'HTCPCP')).toBeUndefined();
	});
});

describe('methods', () => {
	it('annotates the HTTP and HTCPCP methods', () => {
		for (const m of ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']) expectAnnotation(annotateMethod(m, 'HTTP'), `HTTP ${m}`);
		for (const m of ['BREW', 'POST', 'GET', 'PROPFIND', 'WHEN']) expectAnnotation(annotateMethod(m, 'HTCPCP'), `HTCPCP ${m}`);
		expect(annotateMethod('GET', 'HTTP')!.rfc).toBe('RFC 9110 §9.3.1');
		expect(annotateMethod('BREW', 'HTCPCP')!.rfc).toBe('RFC 2324 §2.1.1');
		expect(annotateMethod('WHEN', 'HTCPCP')!.rfc).toBe('RFC 2324 §2.1.4');
	});

	it('gives GET and POST different meanings in HTTP and HTCPCP', () => {
		for (const m of ['GET', 'POST']) {
			const http = annotateMethod(m, 'HTTP')!;
			const coffee = annotateMethod(m, 'HTCPCP')!;
			expect(coffee.meaning).not.toBe(http.meaning);
			expect(coffee.rfc).not.toBe(http.rfc);
		}
		expect(annotateMethod('GET', 'HTCPCP')!.meaning).toMatch(/brewing/);
		expect(annotateMethod('POST', 'HTCPCP')!.meaning).toMatch(/BREW/);
	});

	it('knows nothing of MILK, and methods are case-sensitive', () => {
		expect(annotateMethod('MILK', 'HTCPCP')).toBeUndefined();
		expect(annotateMethod('get', 'HTTP')).toBeUndefined();
		expect(annotateMethod('BREW', 'HTTP')).toBeUndefined();
	});
});

const REQUIRED_HEADERS = [
	'Host', 'User-Agent', 'Accept', 'Accept-Encoding', 'Accept-Language', 'Accept-Charset', 'Connection', 'Keep-Alive',
	'Upgrade-Insecure-Requests', 'Cache-Control', 'Pragma', 'Referer', 'Origin', 'Cookie', 'Set-Cookie', 'DNT',
	'Sec-Fetch-Site', 'Sec-Fetch-Mode', 'Sec-Fetch-User', 'Sec-Fetch-Dest', 'Sec-CH-UA', 'Sec-CH-UA-Mobile',
	'Sec-CH-UA-Platform', 'Sec-GPC', 'Priority', 'If-None-Match', 'If-Modified-Since', 'ETag', 'Last-Modified', 'Expires',
	'Age', 'Vary', 'Date', 'Server', 'Content-Type', 'Content-Length', 'Content-Encoding', 'Content-Language',
	'Transfer-Encoding', 'Location', 'Allow', 'Retry-After', 'Alternates', 'Accept-Additions', 'Use-Pot', 'Safe',
	'Accept-Ranges', 'Content-Security-Policy', 'X-Content-Type-Options', 'Referrer-Policy', 'Strict-Transport-Security',
	'X-Frame-Options', 'Access-Control-Allow-Origin', 'Access-Control-Allow-Methods', 'Authorization', 'WWW-Authenticate',
	'Range', 'Content-Range', 'TE', 'Trailer', 'Upgrade', 'Via', 'Forwarded', 'X-Forwarded-For', 'Link', 'Alt-Svc',
	'Content-Disposition'
];

const req: HeaderContext = { kind: 'request', protocol: 'HTTP', method: 'GET' };
const res = (status: number, method = 'GET'): HeaderContext => ({ kind: 'response', protocol: 'HTTP', status, method });
const potReq = (method: string): HeaderContext => ({ kind: 'request', protocol: 'HTCPCP', method });
const potRes = (status: number, method = 'BREW'): HeaderContext => ({ kind: 'response', protocol: 'HTCPCP', status, method });

describe('headers', () => {
	it('has a complete entry for every header it lists', () => {
		const names = knownHeaderNames();
		expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
		for (const name of names) {
			const a = annotateHeader(name, 'x', req);
			expect(a.known, name).toBe(true);
			expectAnnotation(a, name);
			expect(a.inThisMessage.trim(), `${name}: inThisMessage`).not.toBe('');
		}
	});

	it('covers every header the lab\'s programs and a browser exchange', () => {
		const known = new Set(knownHeaderNames().map((n) => n.toLowerCase()));
		for (const name of REQUIRED_HEADERS) expect(known.has(name.toLowerCase()), name).toBe(true);
	});

	it('matches names case-insensitively and families by prefix', () => {
		expect(annotateHeader('content-length', '2', req).known).toBe(true);
		expect(annotateHeader('CONTENT-LENGTH', '2', req).rfc).toBe('RFC 9110 §8.6');
		expect(isKnownHeader('Sec-CH-UA-Arch')).toBe(true);
		expect(isKnownHeader('Access-Control-Foo')).toBe(true);
	});

	it('is honest about headers it does not know', () => {
		const a = annotateHeader('X-Lab-Secret', 'abc', req);
		expect(a.known).toBe(false);
		expectAnnotation(a, 'unknown');
		expect(a.rfc).toBe('RFC 9110 §5.1');
		expect(a.explanation).toMatch(/ignore/);
		expect(a.inThisMessage).toContain('abc');
	});

	it('names the real source of fields that are not from an RFC', () => {
		expect(annotateHeader('Sec-Fetch-Mode', 'navigate', req).spec).toMatch(/Fetch Metadata/);
		const pot = annotateHeader('Use-Pot', 'tea', potReq('BREW'));
		expect(pot.spec).toMatch(/lab's own/);
		expect(pot.explanation).toMatch(/Not defined in RFC 2324 or RFC 7168/);
		expect(annotateHeader('Content-Length', '2', req).spec).toBeUndefined();
	});

	it('Content-Length: says how long this body is, with the rules for HEAD and 304', () => {
		expect(annotateHeader('Content-Length', '2', potRes(200, 'GET')).inThisMessage).toMatch(/exactly 2 bytes/);
		expect(annotateHeader('Content-Length', '1', req).inThisMessage).toMatch(/exactly 1 byte long/);
		expect(annotateHeader('Content-Length', '6799', res(200, 'HEAD')).inThisMessage).toMatch(/HEAD has no body/);
		expect(annotateHeader('Content-Length', '4033', res(304)).inThisMessage).toMatch(/304 itself carries no body/);
		expect(annotateHeader('Content-Length', '0', req).inThisMessage).toMatch(/no body/);
		expect(annotateHeader('Content-Length', '12, 12', req).inThisMessage).toMatch(/not a valid length/);
	});

	it('Content-Type: names the kind of body and its charset', () => {
		const html = annotateHeader('Content-Type', 'text/html; charset=utf-8', res(200)).inThisMessage;
		expect(html).toMatch(/HTML page/);
		expect(html).toMatch(/UTF-8/);
		expect(annotateHeader('Content-Type', 'message/coffeepot', potRes(200)).inThisMessage).toMatch(/RFC 2324 §4/);
		expect(annotateHeader('Content-Type', 'application/coffee-pot-command', potReq('BREW')).inThisMessage).toMatch(/coffee command/);
		expect(annotateHeader('Content-Type', 'application/coffee-pot-command', potReq('GET')).inThisMessage).toMatch(/GET request normally has no body/);
		expect(annotateHeader('Content-Type', 'application/tea-pot-command', potReq('BREW')).inThisMessage).toMatch(/415/);
	});

	it('Connection: keep-alive and close say different things', () => {
		const keep = annotateHeader('Connection', 'keep-alive', req).inThisMessage;
		const close = annotateHeader('Connection', 'close', res(200)).inThisMessage;
		expect(keep).toMatch(/keep this TCP connection open/);
		expect(close).toMatch(/close the TCP connection/);
		expect(close).toMatch(/new handshake/);
	});

	it('If-None-Match and ETag: explain revalidation with this tag', () => {
		const inm = annotateHeader('If-None-Match', '"abc"', req).inThisMessage;
		expect(inm).toContain('"abc"');
		expect(inm).toMatch(/304/);
		const etag = annotateHeader('ETag', '"1684483189.774964-4033-503128016"', res(200)).inThisMessage;
		expect(etag).toMatch(/If-None-Match/);
		expect(etag).toMatch(/4033 bytes/);
		expect(annotateHeader('ETag', 'W/"x"', res(200)).inThisMessage).toMatch(/weak/);
	});

	it('Location: a 302 to / sends the browser home with a GET', () => {
		const loc = annotateHeader('Location', '/', res(302)).inThisMessage;
		expect(loc).toMatch(/GET/);
		expect(loc).toMatch(/home page/);
		expect(annotateHeader('Location', 'https://example.org/x', res(301)).inThisMessage).toMatch(/for good/);
	});

	it('Retry-After: on the pot\'s 409 it is the time left on the brew', () => {
		const busy = annotateHeader('Retry-After', '12', potRes(409)).inThisMessage;
		expect(busy).toMatch(/12 seconds/);
		expect(busy).toMatch(/brew/);
		expect(annotateHeader('Retry-After', '90', res(503)).inThisMessage).toMatch(/1 minute 30 seconds/);
	});

	it('Accept-Additions: which additions the pot offers and what happens', () => {
		const ok = annotateHeader('Accept-Additions', 'cream; vanilla', potReq('BREW')).inThisMessage;
		expect(ok).toMatch(/cream and vanilla/);
		expect(ok).toMatch(/offers all/);
		expect(ok).toMatch(/WHEN/);
		const bad = annotateHeader('Accept-Additions', 'tea', potReq('BREW')).inThisMessage;
		expect(bad).toMatch(/does not offer tea/);
		expect(bad).toMatch(/406/);
		expect(annotateHeader('Accept-Additions', 'cream, whisky', potRes(406)).inThisMessage).toMatch(/pot can add cream and whisky/);
		expect(annotateHeader('Accept-Additions', 'x', potReq('BREW')).rfc).toBe('RFC 2324 §2.2.2.1');
	});

	it('Use-Pot: coffee pot, tea pot, or a pot that does not exist', () => {
		expect(annotateHeader('Use-Pot', 'ducky', potReq('BREW')).inThisMessage).toMatch(/coffee pot "ducky"/);
		expect(annotateHeader('Use-Pot', 'tea', potReq('BREW')).inThisMessage).toMatch(/418/);
		expect(annotateHeader('Use-Pot', 'kettle', potReq('BREW')).inThisMessage).toMatch(/does not have/);
	});

	it('reads browser values: encodings, languages, user agent, fetch metadata', () => {
		expect(annotateHeader('Accept-Encoding', 'gzip, deflate, br', req).inThisMessage).toMatch(/gzip, deflate and Brotli/);
		expect(annotateHeader('Accept-Language', 'en-GB,en;q=0.9', req).inThisMessage).toMatch(/prefers en-GB, then accepts en \(weight 0.9\)/);
		expect(annotateHeader('User-Agent', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.5 Safari/605.1.15', req).inThisMessage).toMatch(/Safari 16.5 on macOS/);
		expect(annotateHeader('Sec-Fetch-Dest', 'style', req).inThisMessage).toMatch(/stylesheet/);
		expect(annotateHeader('Sec-Fetch-User', '?1', req).inThisMessage).toMatch(/click or key press/);
		expect(annotateHeader('Date', 'Tue, 27 Jun 2023 17:39:59', potRes(200)).inThisMessage).toMatch(/without the GMT zone/);
		expect(annotateHeader('Cache-Control', 'no-cache', res(200)).inThisMessage).toMatch(/check with the server/);
		expect(annotateHeader('Allow', 'GET, HEAD', res(405, 'DELETE')).inThisMessage).toMatch(/only GET and HEAD, which is why/);
		expect(annotateHeader('Alternates', '{"coffee://ducky/pot-1/darjeeling" {type message/teapot}}, {"coffee://ducky/pot-1/sencha" {type message/teapot}}', potRes(300)).inThisMessage).toMatch(/2 choices/);
	});
});

describe('schemes', () => {
	it('annotates all 23 coffee schemes, encoded and decoded', () => {
		expect(COFFEE_SCHEMES).toHaveLength(23);
		for (const s of COFFEE_SCHEMES) {
			for (const raw of [s.encoded, s.decoded]) {
				const a = annotateScheme(raw);
				expectAnnotation(a, raw);
				expect(a!.rfc).toBe('RFC 2324 §3');
				expect(a!.languages).toBe(s.languages);
				expect(a!.decoded).toBe(s.decoded);
			}
		}
		expect(annotateScheme('%E5%92%96%E5%95%A1')!.explanation).toMatch(/percent-encoded/);
		expect(annotateScheme('caf%C3%E8')!.explanation).toMatch(/erratum/);
	});

	it('knows http and https, and rejects caffeine', () => {
		expect(annotateScheme('http')!.rfc).toBe('RFC 9110 §4.2.1');
		expect(annotateScheme('HTTPS')!.rfc).toBe('RFC 9110 §4.2.2');
		expect(annotateScheme('caffeine')).toBeUndefined();
	});
});

describe('TCP', () => {
	it('tells the handshake steps, closing and reset apart', () => {
		const syn = annotateTcpFlags({ syn: true });
		expect(syn).toHaveLength(1);
		expect(syn[0].meaning).toMatch(/step 1/);
		expect(syn[0].rfc).toBe('RFC 9293 §3.5');
		const synAck = annotateTcpFlags({ syn: true, ack: true });
		expect(synAck.map((a) => a.meaning)).toEqual([expect.stringMatching(/step 2/), expect.stringMatching(/^ACK/)]);
		expect(annotateTcpFlags({ fin: true, ack: true })[0].rfc).toBe('RFC 9293 §3.6');
		expect(annotateTcpFlags({ rst: true })[0].rfc).toBe('RFC 9293 §3.5.2');
		expect(annotateTcpFlags({})).toEqual([]);
		const all = annotateTcpFlags({ syn: true, ack: true, fin: true, rst: true, psh: true, urg: true, ece: true, cwr: true });
		expect(all).toHaveLength(8);
		all.forEach((a, i) => expectAnnotation(a, `flag ${i}`));
	});

	it('explains fields with their values', () => {
		expect(annotateTcpField('dstport', 5031).meaning).toMatch(/web app/);
		expect(annotateTcpField('dstport', 5030).meaning).toMatch(/pot/);
		expect(annotateTcpField('srcport', 55433).meaning).toMatch(/ephemeral/);
		expect(annotateTcpField('seq', 0, { relative: true, flags: { syn: true } }).meaning).toMatch(/initial sequence number/);
		expect(annotateTcpField('ack', 449).meaning).toMatch(/before byte 449/);
		expect(annotateTcpField('window', 6379, { windowShift: 6 }).meaning).toMatch(/408256 bytes/);
		expect(annotateTcpField('mss', 16344).rfc).toBe('RFC 9293 §3.7.1');
		for (const f of ['seq', 'ack', 'window', 'srcport', 'dstport', 'len', 'mss', 'wscale', 'sackperm', 'tsval', 'tsecr', 'checksum', 'urgent', 'hdrlen'] as const) {
			expectAnnotation(annotateTcpField(f, 32), f);
		}
	});
});

describe('TLS', () => {
	it('annotates record and handshake types from RFC 8446', () => {
		for (const t of [20, 21, 22, 23]) expectAnnotation(annotateTlsRecord(t), `record ${t}`);
		expect(annotateTlsRecord(22)!.rfc).toBe('RFC 8446 §4');
		expect(annotateTlsRecord(23)!.meaning).toMatch(/application_data/);
		expect(annotateTlsRecord(99)).toBeUndefined();
		for (const t of [1, 2, 4, 8, 11, 15, 20]) expectAnnotation(annotateTlsHandshake(t), `handshake ${t}`);
		expect(annotateTlsHandshake(1)!.meaning).toMatch(/ClientHello/);
		expect(annotateTlsHandshake(1)!.rfc).toBe('RFC 8446 §4.1.2');
		expect(annotateTlsHandshake(11)!.explanation).toMatch(/self-signed/);
		expect(annotateTlsHandshake(77)).toBeUndefined();
	});

	it('explains the server name and why the payload is unreadable', () => {
		const sni = annotateSni('localhost');
		expect(sni.rfc).toBe('RFC 6066 §3');
		expect(sni.meaning).toContain('localhost');
		expect(annotateSni('127.0.0.1').explanation).toMatch(/IP address is not allowed/);
		expectAnnotation(TLS_UNREADABLE, 'TLS_UNREADABLE');
		expect(TLS_UNREADABLE.explanation).toMatch(/\(EC\)DHE/);
		expect(TLS_UNREADABLE.explanation).toMatch(/never cross the wire/);
		expect(TLS_UNREADABLE.explanation).toMatch(/ciphertext/);
		expect(TLS_UNREADABLE.explanation).toMatch(/plain HTCPCP/);
	});
});

function parse(mode: 'request' | 'response', raw: string) {
	const p = new MessageParser(mode);
	const msgs = [...p.push(utf8(raw)), ...p.finish()];
	expect(msgs).toHaveLength(1);
	return msgs[0];
}

describe('annotateMessage', () => {
	it('explains the web app\'s GET to the pot and the pot\'s idle answer (frames 11 and 13)', () => {
		const request = parse('request', 'GET coffee://ducky HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\n\r\n');
		const a = annotateMessage(request);
		expect(a.protocol.rfc).toBe('RFC 2324 §2');
		expect(a.startLine.method!.rfc).toBe('RFC 2324 §2.1.2');
		expect(a.startLine.target!.meaning).toMatch(/absolute coffee URI/);
		expect(a.startLine.target!.meaning).toMatch(/host ducky/);
		expect(a.startLine.version.meaning).toMatch(/HTCPCP message sent with the HTTP version/);
		expect(a.headers).toHaveLength(1);
		expect(a.headers[0].annotation.known).toBe(true);

		const response = parse('response', 'HTCPCP/1.1 200 OK\r\nServer: CoffeePot\r\nContent-Type: message/coffeepot\r\nDate: Tue, 27 Jun 2023 17:39:59\r\n\r\n{}');
		const b = annotateMessage(response, { request });
		expect(b.startLine.status!.rfc).toBe('RFC 2324 §2.3');
		expect(b.startLine.version.explanation).toMatch(/Continuation/);
		expect(b.body.meaning).toBe('2 bytes of message/coffeepot: an empty JSON object: the pot is idle, nothing is brewing');
		expect(b.body.explanation).toMatch(/closed the connection/);
		expect(b.headers.map((h) => h.annotation.inThisMessage)).toEqual([
			expect.stringMatching(/coffee pot server/),
			expect.stringMatching(/RFC 2324 §4/),
			expect.stringMatching(/GMT/)
		]);
	});

	it('explains a BREW with additions and its command body', () => {
		const m = parse('request', 'BREW coffee://ducky HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\nAccept-Additions: cream; vanilla\r\nUse-Pot: ducky\r\nContent-Length: 5\r\n\r\nstart');
		const a = annotateMessage(m);
		expect(a.startLine.method!.meaning).toMatch(/start or stop/);
		expect(a.body.meaning).toBe('the command "start": begin brewing');
		expect(a.body.rfc).toBe('RFC 2324 §2.1.1');
		expect(a.headers.every((h) => h.annotation.known)).toBe(true);
	});

	it('explains the query string as the web app\'s command interface', () => {
		const m = parse('request', 'GET /?method=brew&message=start&additions=cream&pots=ducky HTTP/1.1\r\nHost: 127.0.0.1:5031\r\n\r\n');
		const a = annotateMessage(m);
		expect(a.protocol.rfc).toBe('RFC 9112 §2.1');
		expect(a.startLine.method!.rfc).toBe('RFC 9110 §9.3.1');
		expect(a.startLine.target!.rfc).toBe('RFC 9112 §3.2.1');
		expect(a.startLine.target!.meaning).toMatch(/HTCPCP BREW request with the body "start" asking for cream in Accept-Additions on the pot "ducky"/);
		expect(a.startLine.target!.explanation).toMatch(/command interface/);
		expect(a.body.meaning).toBe('no body');
	});

	it('explains refusals: a bad scheme, an unknown method, a 304, a 406', () => {
		const bad = annotateMessage(parse('request', 'BREW caffeine://ducky HTTP/1.1\r\nContent-Length: 5\r\n\r\nstart'));
		expect(bad.startLine.target!.explanation).toMatch(/400/);
		const milk = annotateMessage(parse('request', 'MILK coffee://ducky HTTP/1.1\r\n\r\n'));
		expect(milk.startLine.method!.explanation).toMatch(/501/);
		const nm = annotateMessage(parse('response', 'HTTP/1.1 304 Not Modified\r\nETag: "a"\r\n\r\n'));
		expect(nm.body.meaning).toMatch(/a 304 response never has one/);
		const refused = annotateMessage(parse('response', 'HTCPCP/1.1 406 Not Acceptable\r\nAccept-Additions: cream, whisky\r\nContent-Type: text/plain\r\nContent-Length: 20\r\n\r\nNot acceptable: tea\n'));
		expect(refused.startLine.status!.rfc).toBe('RFC 2324 §2.3.1');
		expect(refused.body.meaning).toMatch(/additions the pot does offer/);
		const odd = annotateMessage(parse('response', 'HTTP/1.1 299 Odd\r\nContent-Length: 0\r\n\r\n'));
		expectAnnotation(odd.startLine.status, '299');
	});
});

describe('references', () => {
	it('parses and formats RFC references', () => {
		expect(parseRfcRef('RFC 9110 §15.5.5')).toEqual({ rfc: 9110, section: [15, 5, 5] });
		expect(formatRfcRef({ rfc: 2324, section: [2, 2, 2, 1] })).toBe('RFC 2324 §2.2.2.1');
		expect(parseRfcRef('section 5')).toBeUndefined();
	});

	it('uses no Node or DOM APIs in the module (it runs in the browser)', () => {
		const dir = new URL('./', import.meta.url);
		const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
		expect(files.length).toBeGreaterThan(10);
		for (const f of files) {
			const src = readFileSync(new URL(f, dir), 'utf8');
			expect(src, f).not.toMatch(/from '(node:|fs|path|child_process|net)/);
			expect(src, f).not.toMatch(/\b(Buffer|process|document|window)\.[a-zA-Z]/);
		}
	});
});
