// The serializer writes exactly the bytes it is given, and the parser reads
// them back: property tests (fast-check) that parse(serialize(m)) gives the
// same fields and body however the bytes are chunked, plus byte-exact checks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { text, utf8 } from './bytes';
import { COFFEE_SCHEMES } from './constants';
import type { Header, HttpMessage } from './message';
import { MessageParser } from './parser';
import { chunkedBody, protocolVersion, serializeRequest, serializeResponse, withLength } from './serialize';

const RUNS = { numRuns: 200 };

const token = fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,16}$/);

/** Header names that change framing are left out: these tests choose the framing. */
const headerName = token.filter((n) => !/^(content-length|transfer-encoding)$/i.test(n));

/** A field value: no CR, LF or other controls (tab inside is fine), no space or tab at either end. */
const headerValue = fc
	.string({ unit: 'binary', maxLength: 40 })
	// eslint-disable-next-line no-control-regex
	.filter((v) => !/[\x00-\x08\x0a-\x1f\x7f]/.test(v) && !/^[ \t]|[ \t]$/.test(v));

const headers = fc.array(fc.record({ name: headerName, value: headerValue }), { maxLength: 8 });

/** Text that may sit in a request target: no space, no controls, any other Unicode. */
const targetText = fc
	.string({ unit: 'binary', maxLength: 30 })
	// eslint-disable-next-line no-control-regex
	.filter((t) => !/[\x00-\x20\x7f]/.test(t));

const coffeeTarget = fc
	.tuple(
		fc.constantFrom(...COFFEE_SCHEMES),
		fc.constantFrom('encoded', 'decoded'),
		fc.constantFrom('', '//ducky', '//DUCKY:5030'),
		targetText
	)
	.map(([s, form, authority, rest]) => `${form === 'encoded' ? s.encoded : s.decoded}:${authority}/${rest}`);

const target = fc.oneof(targetText.map((t) => `/${t}`), coffeeTarget, fc.constant('*'));

const version = fc.tuple(fc.constantFrom('HTTP' as const, 'HTCPCP' as const), fc.integer({ min: 0, max: 9 }));

const body = fc.uint8Array({ maxLength: 300 });

/** Cut points that split `length` bytes into chunks; empty chunks included. */
const cuts = fc.array(fc.nat(), { maxLength: 6 });

function chunked(bytes: Uint8Array, points: number[]): Uint8Array[] {
	const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
	const out: Uint8Array[] = [];
	let prev = 0;
	for (const cut of at) {
		out.push(bytes.subarray(prev, cut));
		prev = cut;
	}
	out.push(bytes.subarray(prev));
	return out;
}

function parseAll(mode: 'request' | 'response', chunks: Uint8Array[]): HttpMessage[] {
	const p = new MessageParser(mode);
	const out: HttpMessage[] = [];
	for (const c of chunks) out.push(...p.push(c));
	expect(p.midMessage).toBe(false);
	return out;
}

describe('parse(serialize(m)) is identity', () => {
	it('for requests with a Content-Length body', () => {
		fc.assert(
			fc.property(token, target, version, headers, body, cuts, (method, tgt, [proto, minor], hs, b, points) => {
				const framed = withLength(hs, b);
				const bytes = serializeRequest({ method, target: tgt, version: protocolVersion(proto, minor), headers: framed, body: b });
				const [m, ...rest] = parseAll('request', chunked(bytes, points));
				expect(rest).toEqual([]);
				expect(m).toMatchObject({ kind: 'request', method, target: tgt, protocol: proto, versionMajor: 1, versionMinor: minor });
				expect(m.headers).toEqual(framed);
				expect(Array.from(m.body)).toEqual(Array.from(b));
				expect(m.framing).toBe('length');
				expect(m.length).toBe(bytes.length);
			}),
			RUNS
		);
	});

	it('for responses with a Content-Length body', () => {
		const status = fc.integer({ min: 200, max: 599 }).filter((s) => s !== 204 && s !== 304);
		const reason = fc.option(
			fc
				.string({ unit: 'binary', maxLength: 30 })
				// eslint-disable-next-line no-control-regex
				.filter((r) => !/[\x00-\x08\x0a-\x1f\x7f]/.test(r)),
			{ nil: undefined }
		);
		fc.assert(
			fc.property(status, reason, version, headers, body, cuts, (code, why, [proto, minor], hs, b, points) => {
				const framed = withLength(hs, b);
				const bytes = serializeResponse({ status: code, reason: why, version: protocolVersion(proto, minor), headers: framed, body: b });
				const [m, ...rest] = parseAll('response', chunked(bytes, points));
				expect(rest).toEqual([]);
				expect(m).toMatchObject({ kind: 'response', status: code, protocol: proto, versionMinor: minor });
				if (why !== undefined) expect(m.reason).toBe(why);
				expect(m.headers).toEqual(framed);
				expect(Array.from(m.body)).toEqual(Array.from(b));
			}),
			RUNS
		);
	});

	it('for chunked bodies of any piece size, with the coding removed', () => {
		fc.assert(
			fc.property(token, target, headers, body, fc.integer({ min: 1, max: 64 }), cuts, (method, tgt, hs, b, size, points) => {
				const all: Header[] = [...hs, { name: 'Transfer-Encoding', value: 'chunked' }];
				const bytes = serializeRequest({ method, target: tgt, headers: all, body: chunkedBody(b, size) });
				const [m] = parseAll('request', chunked(bytes, points));
				expect(m.framing).toBe('chunked');
				expect(m.headers).toEqual(all);
				expect(m.trailers).toEqual([]);
				expect(Array.from(m.body)).toEqual(Array.from(b));
				expect(m.length).toBe(bytes.length);
			}),
			RUNS
		);
	});

	it('for several requests pipelined back to back', () => {
		const request = fc.record({ method: token, target, headers, body });
		fc.assert(
			fc.property(fc.array(request, { minLength: 1, maxLength: 5 }), cuts, (list, points) => {
				const wire = list.map((r) => serializeRequest({ ...r, headers: withLength(r.headers, r.body) }));
				const all = new Uint8Array(wire.reduce((n, w) => n + w.length, 0));
				let at = 0;
				for (const w of wire) {
					all.set(w, at);
					at += w.length;
				}
				const got = parseAll('request', chunked(all, points));
				expect(got.map((m) => [m.method, m.target, Array.from(m.body)])).toEqual(
					list.map((r) => [r.method, r.target, Array.from(r.body)])
				);
				let offset = 0;
				got.forEach((m, i) => {
					expect(m.offset).toBe(offset);
					offset += wire[i].length;
				});
			}),
			RUNS
		);
	});
});

describe('byte-exact output', () => {
	it('writes the BREW the lab sends, with withLength adding Content-Length last', () => {
		const hs = withLength([{ name: 'Content-Type', value: 'application/coffee-pot-command' }], 'start');
		const bytes = serializeRequest({ method: 'BREW', target: 'coffee://ducky', headers: hs, body: 'start' });
		expect(text(bytes)).toBe(
			'BREW coffee://ducky HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\nContent-Length: 5\r\n\r\nstart'
		);
	});

	it("reproduces the pot's captured reply (frame 13 of homepage_coffee.pcapng)", () => {
		const bytes = serializeResponse({
			status: 200,
			headers: [
				{ name: 'Server', value: 'CoffeePot' },
				{ name: 'Content-Type', value: 'message/coffeepot' },
				{ name: 'Date', value: 'Tue, 27 Jun 2023 17:39:59' }
			],
			body: '{}'
		});
		// The captured payload, written out by hand from the capture.
		const captured =
			'HTCPCP/1.1 200 OK\r\nServer: CoffeePot\r\nContent-Type: message/coffeepot\r\nDate: Tue, 27 Jun 2023 17:39:59\r\n\r\n{}';
		expect(text(bytes)).toBe(captured);
		expect(bytes.length).toBe(108);
	});

	it('uses the standard reason phrase, an explicit one, or none', () => {
		expect(text(serializeResponse({ status: 418 }))).toBe("HTCPCP/1.1 418 I'm a teapot\r\n\r\n");
		expect(text(serializeResponse({ version: 'HTTP/1.1', status: 304, reason: 'NOT MODIFIED' }))).toBe(
			'HTTP/1.1 304 NOT MODIFIED\r\n\r\n'
		);
		expect(text(serializeResponse({ version: 'HTTP/1.1', status: 302, reason: '' }))).toBe('HTTP/1.1 302 \r\n\r\n');
	});

	it('keeps header order and case, and Unicode targets as UTF-8', () => {
		const bytes = serializeRequest({
			method: 'GET',
			target: '咖啡://ducky',
			version: 'HTCPCP/1.0',
			headers: [
				{ name: 'accept-additions', value: 'Cream; Vanilla' },
				{ name: 'Use-Pot', value: 'ducky' }
			]
		});
		expect(Array.from(bytes.subarray(4, 10))).toEqual([0xe5, 0x92, 0x96, 0xe5, 0x95, 0xa1]);
		expect(text(bytes)).toBe('GET 咖啡://ducky HTCPCP/1.0\r\naccept-additions: Cream; Vanilla\r\nUse-Pot: ducky\r\n\r\n');
	});

	it('withLength replaces an earlier Content-Length whatever its case and counts bytes, not characters', () => {
		const hs = withLength(
			[
				{ name: 'content-length', value: '99' },
				{ name: 'X-A', value: '1' }
			],
			'καφέ'
		);
		expect(hs).toEqual([
			{ name: 'X-A', value: '1' },
			{ name: 'Content-Length', value: '8' }
		]);
		expect(withLength([], undefined)).toEqual([{ name: 'Content-Length', value: '0' }]);
	});

	it('chunkedBody splits into pieces of the given size and ends with the last chunk', () => {
		expect(text(chunkedBody('start', 2))).toBe('2\r\nst\r\n2\r\nar\r\n1\r\nt\r\n0\r\n\r\n');
		expect(text(chunkedBody(''))).toBe('0\r\n\r\n');
		expect(text(chunkedBody(utf8('x'.repeat(26)), 26)).startsWith('1a\r\n')).toBe(true);
	});

	it('protocolVersion names both protocols', () => {
		expect(protocolVersion('HTCPCP')).toBe('HTCPCP/1.1');
		expect(protocolVersion('HTTP', 0)).toBe('HTTP/1.0');
	});
});
