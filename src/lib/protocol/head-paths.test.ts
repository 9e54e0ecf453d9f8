// The parser reads a head in one of two ways: the fast path (one decode, one
// pattern test, a split) for heads of the plain shape, and the line-by-line
// path for everything else and for every error. These tests hold the two to
// the same results, wherever the chunks are cut.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes, text, utf8 } from './bytes';
import { ProtocolError } from './errors';
import type { HttpMessage } from './message';
import { MessageParser } from './parser';

type Outcome = { messages: Array<Omit<HttpMessage, 'body'> & { body: string }>; error: string | null };

/** Feeds `bytes` cut at `cuts` and reports every message and the error, if any. */
function parse(mode: 'request' | 'response', bytes: Uint8Array, cuts: number[]): Outcome {
	const p = new MessageParser(mode);
	const got: HttpMessage[] = [];
	let error: string | null = null;
	let from = 0;
	try {
		for (const cut of [...cuts, bytes.length]) {
			got.push(...p.push(bytes.subarray(from, cut)));
			from = cut;
		}
	} catch (e) {
		if (!(e instanceof ProtocolError)) throw e;
		got.push(...e.completed);
		error = `${e.code} at ${e.offset}: ${e.message}`;
	}
	return { messages: got.map((m) => ({ ...m, body: text(m.body) })), error };
}

const tchar = fc.constantFrom(...'!#$%&\'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.split(''));
const name = fc.array(tchar, { minLength: 1, maxLength: 20 }).map((cs) => cs.join(''));
const visible = fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c));
const ows = fc.constantFrom('', ' ', '  ', '\t', ' \t');
/** A value with optional whitespace around it, sometimes empty, sometimes with inner spaces. */
const value = fc
	.tuple(ows, fc.array(fc.oneof(visible, fc.constant(' ')), { maxLength: 60 }), ows)
	.map(([a, cs, b]) => ({ raw: a + cs.join('') + b, trimmed: cs.join('').trim() }));

describe('the two head paths', () => {
	it('agree on plain heads, cut anywhere, and trim the optional whitespace around values', () => {
		fc.assert(
			fc.property(
				fc.array(fc.record({ name, value }), { maxLength: 40 }),
				fc.integer({ min: 0, max: 5000 }),
				fc.integer({ min: 0, max: 5000 }),
				(fields, c1, c2) => {
					// No Content-Length or Transfer-Encoding here: framing has its own tests.
					const usable = fields.filter((f) => !/^(content-length|transfer-encoding)$/i.test(f.name));
					const head = `GET /pot-${usable.length} HTTP/1.1\r\n${usable.map((f) => `${f.name}:${f.value.raw}\r\n`).join('')}\r\n`;
					const bytes = utf8(head + head);
					const cuts = [Math.min(c1, c2) % (bytes.length + 1), Math.max(c1, c2) % (bytes.length + 1)].sort((a, b) => a - b);
					const whole = parse('request', bytes, []);
					expect(whole.error).toBeNull();
					expect(whole.messages).toHaveLength(2);
					expect(whole.messages[0].headers).toEqual(usable.map((f) => ({ name: f.name, value: f.value.trimmed })));
					expect(parse('request', bytes, cuts)).toEqual(whole);
				}
			),
			{ numRuns: 300 }
		);
	});

	it('agree on heads that only the line-by-line path reads (bare LF, UTF-8 values, a tab in the reason)', () => {
		const cases: Array<['request' | 'response', string]> = [
			['request', 'GET / HTTP/1.1\nHost: a\n\n'],
			['request', 'GET / HTTP/1.1\r\nHost: a\n\r\n'],
			['request', 'GET / HTTP/1.1\r\nX-Name: Zoë\r\n\r\n'],
			['response', 'HTTP/1.1 418 I\tam a teapot\r\nContent-Length: 0\r\n\r\n'],
			['response', 'HTCPCP/1.0 200 Café prêt\r\nContent-Length: 2\r\n\r\nok']
		];
		for (const [mode, raw] of cases) {
			const bytes = utf8(raw);
			const whole = parse(mode, bytes, []);
			expect(whole.error, raw).toBeNull();
			expect(whole.messages, raw).toHaveLength(1);
			for (let cut = 0; cut <= bytes.length; cut++) expect(parse(mode, bytes, [cut]), `${JSON.stringify(raw)} cut at ${cut}`).toEqual(whole);
		}
	});

	it('report the same error at the same offset, cut anywhere', () => {
		const bad = [
			'GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n',
			'GET / HTTP/1.1\r\nBad Name: x\r\n\r\n',
			'GET / HTTP/1.1\r\nX: a\x01b\r\n\r\n',
			'G(T / HTTP/1.1\r\n\r\n',
			'GET / HTTP/2.0\r\n\r\n',
			'GET  / HTTP/1.1\r\n\r\n',
			'GET / HTTP/1.1\r\nContent-Length: 1, 2\r\n\r\n'
		];
		for (const raw of bad) {
			const bytes = utf8(`GET /first HTTP/1.1\r\nHost: a\r\n\r\n${raw}`);
			const whole = parse('request', bytes, []);
			expect(whole.error, raw).not.toBeNull();
			expect(whole.messages, raw).toHaveLength(1);
			for (let cut = 0; cut <= bytes.length; cut++) expect(parse('request', bytes, [cut]), `${JSON.stringify(raw)} cut at ${cut}`).toEqual(whole);
		}
	});

	it('reads a head longer than the first window the fast path decodes', () => {
		const long = `GET / HTTP/1.1\r\n${Array.from({ length: 60 }, (_, i) => `X-Field-${i}: ${'v'.repeat(40)}\r\n`).join('')}\r\n`;
		const bytes = utf8(long);
		const whole = parse('request', bytes, []);
		expect(whole.messages[0].headers).toHaveLength(60);
		for (const cut of [1, 500, 1023, 1024, 1025, 2000, bytes.length - 1]) expect(parse('request', bytes, [cut])).toEqual(whole);
	});
});

describe('bodies after a head split across pushes', () => {
	it('are views of the chunk the head ended in, not copies', () => {
		const p = new MessageParser('response');
		const first = utf8('HTTP/1.1 200 OK\r\nContent-Ty');
		const second = utf8('pe: text/plain\r\nContent-Length: 5\r\n\r\nhello');
		expect(p.push(first)).toEqual([]);
		const [m] = p.push(second);
		expect(text(m.body)).toBe('hello');
		expect(m.body.buffer).toBe(second.buffer);
		expect(m.headLength).toBe(first.length + second.length - 5);
	});

	it('joined from pieces in other buffers are the message’s own bytes', () => {
		const p = new MessageParser('request');
		const parts = [utf8('BREW coffee://pot-0 HTCPCP/1.0\r\nContent-Length: 10\r\n\r\nst'), utf8('art'), utf8('-brew')];
		const got = parts.flatMap((c) => p.push(c));
		for (const c of parts) c.fill(0x2a);
		expect(got.map((m) => text(m.body))).toEqual(['start-brew']);
		// Later messages do not overwrite earlier bodies that share memory with them.
		const more = concatBytes([utf8('BREW coffee://pot-1 HTCPCP/1.0\r\nContent-Length: 4\r\n\r\nst'), utf8('op')]);
		const later = [more.subarray(0, more.length - 2), more.slice(more.length - 2)].flatMap((c) => p.push(c));
		expect(text(later[0].body)).toBe('stop');
		expect(text(got[0].body)).toBe('start-brew');
	});
});
