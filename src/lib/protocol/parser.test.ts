// Parser behaviour that the markdown fixtures cannot show well: the state
// getters between pushes, error stickiness, long runs of pushes, the HEAD
// callback and the size limits at their exact boundaries.
import { describe, expect, it } from 'vitest';
import { concatBytes, text, utf8 } from './bytes';
import { ERROR_CODES, ProtocolError } from './errors';
import { BODY_IDLE_MS, DEFAULT_LIMITS, MAX_BODY_BYTES, MAX_HEAD_BYTES, REQUEST_STALL_MS } from './limits';
import { getHeader, type HttpMessage } from './message';
import { MessageParser } from './parser';

function thrown(fn: () => unknown): ProtocolError {
	try {
		fn();
	} catch (e) {
		if (e instanceof ProtocolError) return e;
		throw e;
	}
	throw new Error('expected a ProtocolError');
}

/** A small deterministic generator, so chunk sizes vary but every run is the same. */
function lcg(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

describe('state getters', () => {
	it('midMessage follows a request through head and Content-Length body', () => {
		const p = new MessageParser('request');
		expect(p.midMessage).toBe(false);
		expect(p.push(utf8('BREW coffee://ducky HTTP/1.1\r\nContent-Le'))).toEqual([]);
		expect(p.midMessage).toBe(true);
		expect(p.push(utf8('ngth: 5\r\n\r\nst'))).toEqual([]);
		expect(p.midMessage).toBe(true);
		expect(p.awaitingIdleBody).toBe(false);
		const [m] = p.push(utf8('art'));
		expect(text(m.body)).toBe('start');
		expect(p.midMessage).toBe(false);
		expect(p.pendingBytes).toBe(0);
	});

	it('empty lines between requests do not count as a message in progress', () => {
		const p = new MessageParser('request');
		expect(p.push(utf8('GET / HTTP/1.1\r\n\r\n\r\n\r\n'))).toHaveLength(1);
		expect(p.midMessage).toBe(false);
		expect(p.finish()).toEqual([]);
	});

	it('awaitingIdleBody is set for a BREW without framing and cleared by endIdleBody', () => {
		const p = new MessageParser('request');
		p.push(utf8('BREW coffee://ducky HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\n\r\n'));
		expect(p.awaitingIdleBody).toBe(true);
		expect(p.midMessage).toBe(true);
		p.push(utf8('sta'));
		p.push(utf8('rt'));
		const [m] = p.endIdleBody();
		expect(m.framing).toBe('idle');
		expect(text(m.body)).toBe('start');
		expect(p.awaitingIdleBody).toBe(false);
		expect(p.midMessage).toBe(false);
		expect(p.endIdleBody()).toEqual([]);
	});

	it('an idle body may be empty, and the parser takes the next request after it', () => {
		const p = new MessageParser('request');
		p.push(utf8('BREW coffee://ducky HTTP/1.1\r\n\r\n'));
		const [empty] = p.endIdleBody();
		expect(empty.body.length).toBe(0);
		expect(empty.length).toBe(32);
		const [next] = p.push(utf8('GET coffee://ducky HTTP/1.1\r\n\r\n'));
		expect(next.method).toBe('GET');
		expect(next.offset).toBe(32);
	});

	it('endIdleBody does nothing while a head or a Content-Length body is incomplete', () => {
		const p = new MessageParser('request');
		p.push(utf8('BREW coffee://ducky HTTP/1.1\r\nContent-Length: 5\r\n\r\nst'));
		expect(p.endIdleBody()).toEqual([]);
		expect(p.midMessage).toBe(true);
		expect(p.push(utf8('art'))).toHaveLength(1);
	});

	it('awaitingClose is set for a response without length and finish() ends it', () => {
		const p = new MessageParser('response');
		p.push(utf8('HTCPCP/1.1 200 OK\r\n\r\n{"brewing"'));
		expect(p.awaitingClose).toBe(true);
		expect(p.awaitingIdleBody).toBe(false);
		const [m] = p.finish();
		expect(m.framing).toBe('close');
		expect(text(m.body)).toBe('{"brewing"');
	});

	it('a GET with a coffee URI never waits for a body', () => {
		const p = new MessageParser('request');
		const [m] = p.push(utf8('GET coffee://ducky HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\n\r\n'));
		expect(m.framing).toBe('none');
		expect(p.awaitingIdleBody).toBe(false);
	});
});

describe('errors', () => {
	it('stick: push, finish and failure all report the first error', () => {
		const p = new MessageParser('request');
		const first = thrown(() => p.push(utf8('GET / HTTP/1.1\r\nBad Header: x\r\n\r\n')));
		expect(first.code).toBe('HTCPCP_ERR_HEADER');
		expect(first.status).toBe(400);
		expect(p.failure).toBe(first);
		expect(p.midMessage).toBe(false);
		expect(thrown(() => p.push(utf8('GET / HTTP/1.1\r\n\r\n')))).toBe(first);
		expect(thrown(() => p.finish())).toBe(first);
		expect(p.endIdleBody()).toEqual([]);
	});

	it("an error in a later pipelined message carries that message's offset", () => {
		const p = new MessageParser('request');
		expect(() => p.push(utf8('GET /a HTTP/1.1\r\n\r\nGET /b HTTP/9.9\r\n\r\n'))).toThrow(ProtocolError);
		expect(p.failure?.code).toBe('HTCPCP_ERR_VERSION');
		expect(p.failure?.offset).toBe(19);
	});

	it('finish in the middle of a message fails with HTCPCP_ERR_INCOMPLETE and sticks', () => {
		const p = new MessageParser('response');
		p.push(utf8('HTCPCP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}'));
		const e = thrown(() => p.finish());
		expect(e.code).toBe('HTCPCP_ERR_INCOMPLETE');
		expect(e.offset).toBe(p.offset + p.pendingBytes);
		expect(thrown(() => p.finish())).toBe(e);
	});

	it('every error code maps to the status a server answers with', () => {
		expect(ERROR_CODES).toEqual({
			HTCPCP_ERR_HEAD_TOO_LARGE: 431,
			HTCPCP_ERR_BODY_TOO_LARGE: 413,
			HTCPCP_ERR_START_LINE: 400,
			HTCPCP_ERR_INVALID_UTF8: 400,
			HTCPCP_ERR_HEADER: 400,
			HTCPCP_ERR_CONTENT_LENGTH: 400,
			HTCPCP_ERR_TRANSFER_ENCODING: 400,
			HTCPCP_ERR_CHUNK: 400,
			HTCPCP_ERR_VERSION: 505,
			HTCPCP_ERR_INCOMPLETE: 400,
			HTCPCP_ERR_TIMEOUT: 408
		});
		const e = new ProtocolError('HTCPCP_ERR_TIMEOUT', 'no byte for a while', 12);
		expect(e).toBeInstanceOf(Error);
		expect([e.name, e.status, e.offset]).toEqual(['ProtocolError', 408, 12]);
	});
});

describe('offsets across many pushes', () => {
	it('keeps stream offsets of 60 pipelined messages fed in uneven chunks', () => {
		const specs: string[] = [];
		for (let i = 0; i < 60; i++) {
			if (i % 3 === 0) specs.push(`GET coffee://ducky?n=${i} HTTP/1.1\r\n\r\n`);
			else if (i % 3 === 1) specs.push(`BREW coffee://ducky HTTP/1.1\r\nContent-Length: ${String(i).length}\r\n\r\n${i}`);
			else specs.push(`\r\nPOST /x HTTP/1.1\nTransfer-Encoding: chunked\n\n${((i % 15) + 1).toString(16)}\n${'y'.repeat((i % 15) + 1)}\n0\n\n`);
		}
		const all = utf8(specs.join(''));
		const random = lcg(7);
		const p = new MessageParser('request');
		const got: HttpMessage[] = [];
		for (let at = 0; at < all.length; ) {
			const size = 1 + Math.floor(random() * 40);
			got.push(...p.push(all.subarray(at, at + size)));
			at += size;
		}
		expect(got).toHaveLength(60);
		let expectedOffset = 0;
		got.forEach((m, i) => {
			const leading = i % 3 === 2 ? 2 : 0; // the CRLF before the request line is skipped
			expect(m.offset, `message ${i}`).toBe(expectedOffset + leading);
			expect(m.length, `message ${i}`).toBe(utf8(specs[i]).length - leading);
			expectedOffset += utf8(specs[i]).length;
		});
		expect(p.offset).toBe(all.length);
		expect(p.pendingBytes).toBe(0);
	});

	it('gives a body that lies in one chunk as a view of that chunk (no copy)', () => {
		const p = new MessageParser('request');
		const chunk = utf8('BREW coffee://ducky HTTP/1.1\r\nContent-Length: 4\r\n\r\nstop');
		const [m] = p.push(chunk);
		expect(text(m.body)).toBe('stop');
		expect(m.body.buffer).toBe(chunk.buffer);
		expect(m.body.byteOffset).toBe(chunk.byteOffset + chunk.length - 4);
		// Headers are strings, so they never depend on the chunk.
		chunk.fill(0x21);
		expect(getHeader(m.headers, 'content-length')).toBe('4');
	});

	it('joins a body split across pushes into its own memory', () => {
		const p = new MessageParser('request');
		const a = utf8('BREW coffee://ducky HTTP/1.1\r\nContent-Length: 4\r\n\r\nst');
		const b = utf8('op');
		expect(p.push(a)).toHaveLength(0);
		const [m] = p.push(b);
		a.fill(0x21);
		b.fill(0x21);
		expect(text(m.body)).toBe('stop');
	});

	it('keeps earlier bodies intact while its own store grows (byte-at-a-time input)', () => {
		const p = new MessageParser('request');
		const raw = utf8('POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nonePOST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\ntwo');
		const got = [];
		for (let i = 0; i < raw.length; i += 7) got.push(...p.push(raw.subarray(i, i + 7)));
		expect(got.map((m) => text(m.body))).toEqual(['one', 'two']);
	});
});

describe('isResponseToHead', () => {
	it('is asked once per final response, in order, so a request queue stays in step', () => {
		const queue = ['GET', 'HEAD', 'GET', 'HEAD', 'GET'];
		let asked = 0;
		const p = new MessageParser('response', {
			isResponseToHead: () => {
				asked++;
				return queue.shift() === 'HEAD';
			}
		});
		const wire =
			'HTTP/1.1 100 Continue\r\n\r\n' +
			'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi' +
			'HTTP/1.1 200 OK\r\nContent-Length: 6799\r\n\r\n' +
			'HTTP/1.1 304 Not Modified\r\nContent-Length: 4033\r\n\r\n' +
			'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n' +
			'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nend';
		const got = p.push(utf8(wire));
		expect(got.map((m) => [m.status, m.body.length])).toEqual([
			[100, 0],
			[200, 2],
			[200, 0],
			[304, 0],
			[200, 0],
			[200, 3]
		]);
		expect(asked).toBe(5);
		expect(queue).toEqual([]);
	});
});

describe('limits', () => {
	it('exports the documented defaults', () => {
		expect(MAX_HEAD_BYTES).toBe(16 * 1024);
		expect(MAX_BODY_BYTES).toBe(64 * 1024);
		expect(DEFAULT_LIMITS).toEqual({ maxHeadBytes: MAX_HEAD_BYTES, maxBodyBytes: MAX_BODY_BYTES });
		expect(BODY_IDLE_MS).toBeGreaterThan(0);
		expect(REQUEST_STALL_MS).toBeGreaterThan(BODY_IDLE_MS);
	});

	function headOf(size: number): Uint8Array {
		const fixed = 'GET / HTTP/1.1\r\nX-Pad: \r\n\r\n';
		return utf8(`GET / HTTP/1.1\r\nX-Pad: ${'p'.repeat(size - fixed.length)}\r\n\r\n`);
	}

	it('accepts a head of exactly maxHeadBytes and refuses one byte more with 431', () => {
		for (const limit of [64, MAX_HEAD_BYTES]) {
			const ok = new MessageParser('request', limit === MAX_HEAD_BYTES ? {} : { maxHeadBytes: limit });
			const [m] = ok.push(headOf(limit));
			expect(m.headLength).toBe(limit);
			const over = new MessageParser('request', limit === MAX_HEAD_BYTES ? {} : { maxHeadBytes: limit });
			const e = thrown(() => over.push(headOf(limit + 1)));
			expect([e.code, e.status, e.offset]).toEqual(['HTCPCP_ERR_HEAD_TOO_LARGE', 431, limit]);
		}
	});

	it('accepts a body of exactly maxBodyBytes and refuses one byte more with 413', () => {
		const limit = 100;
		const body = 'b'.repeat(limit);
		const length = new MessageParser('request', { maxBodyBytes: limit });
		expect(length.push(utf8(`POST / HTTP/1.1\r\nContent-Length: ${limit}\r\n\r\n${body}`))[0].body.length).toBe(limit);
		const tooLong = new MessageParser('request', { maxBodyBytes: limit });
		expect(thrown(() => tooLong.push(utf8(`POST / HTTP/1.1\r\nContent-Length: ${limit + 1}\r\n\r\n`))).status).toBe(413);

		const idle = new MessageParser('request', { maxBodyBytes: limit });
		idle.push(utf8(`BREW coffee://ducky HTTP/1.1\r\n\r\n${body}`));
		expect(idle.endIdleBody()[0].body.length).toBe(limit);
		const idleOver = new MessageParser('request', { maxBodyBytes: limit });
		idleOver.push(utf8(`BREW coffee://ducky HTTP/1.1\r\n\r\n${body}`));
		const e = thrown(() => idleOver.push(utf8('!')));
		expect([e.status, e.offset]).toEqual([413, 32 + limit]);

		const chunked = new MessageParser('request', { maxBodyBytes: limit });
		const enc = `POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n32\r\n${body.slice(50)}\r\n32\r\n${body.slice(50)}\r\n`;
		expect(chunked.push(utf8(enc + '0\r\n\r\n'))[0].body.length).toBe(limit);
		const chunkedOver = new MessageParser('request', { maxBodyBytes: limit });
		expect(thrown(() => chunkedOver.push(utf8(enc + '1\r\n'))).status).toBe(413);
	});

	it('refuses a close-delimited response body past the limit', () => {
		const p = new MessageParser('response', { maxBodyBytes: 10 });
		p.push(utf8('HTTP/1.1 200 OK\r\n\r\n0123456789'));
		expect(thrown(() => p.push(utf8('x'))).code).toBe('HTCPCP_ERR_BODY_TOO_LARGE');
	});

	it('gives up on a head without line ends once it passes the limit, not at the end of input', () => {
		const p = new MessageParser('request', { maxHeadBytes: 1000 });
		const e = thrown(() => {
			for (let i = 0; i < 2000; i++) p.push(utf8(i === 0 ? 'GET /' : 'a'));
		});
		expect([e.code, e.offset]).toEqual(['HTCPCP_ERR_HEAD_TOO_LARGE', 1000]);
		expect(p.offset).toBeLessThanOrEqual(1001);
	});
});

describe('concatenated reads', () => {
	it('treats pushes of empty chunks as no-ops', () => {
		const p = new MessageParser('request');
		expect(p.push(new Uint8Array(0))).toEqual([]);
		const bytes = concatBytes([utf8('GET / HTTP/1.1\r\n'), new Uint8Array(0), utf8('\r\n')]);
		p.push(new Uint8Array(0));
		expect(p.push(bytes)).toHaveLength(1);
		expect(p.push(new Uint8Array(0))).toEqual([]);
	});
});

describe('an error after complete messages in the same chunk', () => {
	it('keeps the messages completed before the bad bytes on the error', () => {
		const parser = new MessageParser('request');
		const bytes = utf8('GET coffee://ducky HTTP/1.1\r\n\r\nWHEN coffee://ducky HTTP/1.1\r\n\r\n\x16\x03\x01garbage\r\n\r\n');
		let caught: unknown;
		try {
			parser.push(bytes);
		} catch (e) {
			caught = e;
		}
		expect(caught).toBeInstanceOf(ProtocolError);
		const error = caught as ProtocolError;
		expect(error.status).toBe(400);
		expect(error.completed.map((m) => m.method)).toEqual(['GET', 'WHEN']);
	});
});

describe('a head that arrives one byte at a time', () => {
	it('parses a 16 KiB head byte by byte', () => {
		const parser = new MessageParser('request');
		const filler = 'x'.repeat(16 * 1024 - 200);
		const bytes = utf8(`GET coffee://ducky HTTP/1.1\r\nX-Filler: ${filler}\r\n\r\n`);
		const got = [];
		for (let i = 0; i < bytes.length; i++) got.push(...parser.push(bytes.subarray(i, i + 1)));
		expect(got).toHaveLength(1);
		expect(got[0].headers[0].value).toBe(filler);
	});
});
