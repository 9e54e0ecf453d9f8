/**
 * The real pot program over real TCP: status codes, framing, pipelining,
 * slow and hostile clients, many idle connections, the log and the CLI errors.
 */
import fs from 'node:fs';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getHeader, text } from '../../src/lib/protocol/index';
import { seededRandom } from '../../server/pot/beans';
import { fuzzInput } from '../../server/pot/testing';
import { ROOT, TSX } from '../helpers/process';
import { COFFEE, TEA, one, request, startPot, talk, type RunningPot } from './harness';

let pot: RunningPot;

beforeAll(async () => {
	pot = await startPot(['--brew-seconds', '1', '--stall-ms', '300', '--seed', '3']);
});
afterAll(async () => {
	await pot?.stop();
	if (pot) fs.rmSync(pot.dataDir, { recursive: true, force: true });
});

const body = (m: { body: Uint8Array }) => text(m.body);

describe('pot over TCP', () => {
	it('prints the ready line with the real port', () => {
		expect(pot.port).toBeGreaterThan(0);
		expect(pot.output()).toContain(`Listening for connections on 127.0.0.1:${pot.port}`);
	});

	it('answers GET with {} and the lab headers', async () => {
		const r = await one(pot.port, request('GET', 'coffee://ducky'));
		expect(r.protocol).toBe('HTCPCP');
		expect([r.status, r.reason]).toEqual([200, 'OK']);
		expect(getHeader(r.headers, 'server')).toBe('CoffeePot');
		expect(getHeader(r.headers, 'content-type')).toBe('message/coffeepot');
		expect(getHeader(r.headers, 'date')).toMatch(/GMT$/);
		expect(getHeader(r.headers, 'content-length')).toBe('2');
		expect(body(r)).toBe('{}');
	});

	it('answers every error status with a reason and a body', async () => {
		const cases: Array<[string, number, string]> = [
			[request('GET', 'caffeine://ducky'), 400, 'caffeine'],
			[request('BREW', 'coffee://ducky', COFFEE, 'brew!'), 400, 'start or stop'],
			[request('GET', 'coffee://psyduck'), 404, 'psyduck'],
			[request('MILK', 'coffee://ducky'), 501, 'BREW, POST, GET, PROPFIND, WHEN'],
			[request('GET', 'coffee://ducky', { 'Content-Type': 'application/tea-pot-command' }), 415, 'application/coffee-pot-command'],
			[request('BREW', 'coffee://ducky', { ...COFFEE, 'Use-Pot': 'tea' }, 'start'), 418, 'teapot'],
			[request('BREW', 'coffee://ducky', { ...COFFEE, 'Accept-Additions': 'tea' }, 'start'), 406, 'Acceptable additions: cream'],
			[request('BREW', 'coffee://ducky', { ...TEA, 'Use-Pot': 'tea' }, 'start'), 300, 'darjeeling']
		];
		for (const [raw, status, says] of cases) {
			const r = await one(pot.port, raw);
			expect(r.status, raw).toBe(status);
			expect(r.reason?.length).toBeGreaterThan(0);
			expect(body(r)).toContain(says);
			expect(Number(getHeader(r.headers, 'content-length'))).toBe(r.body.length);
		}
	});

	it('brews, refuses a second BREW with 409 and Retry-After, finishes, stops', async () => {
		const start = await one(pot.port, request('BREW', 'coffee://ducky', { ...COFFEE, 'Accept-Additions': 'whole-milk' }, 'start'));
		expect(body(start)).toBe('Brewing coffee with whole-milk; ready in 1 s');
		const busy = await one(pot.port, request('BREW', 'coffee://ducky', COFFEE, 'start'));
		expect(busy.status).toBe(409);
		expect(Number(getHeader(busy.headers, 'retry-after'))).toBeGreaterThanOrEqual(1);
		// Wait for the brew to end (bounded loop).
		let state: Record<string, unknown> = {};
		for (let i = 0; i < 100 && state.state !== 'ready'; i++) {
			state = JSON.parse(body(await one(pot.port, request('GET', 'coffee://ducky'))));
			if (state.state !== 'ready') await new Promise((r) => setTimeout(r, 100));
		}
		expect(state).toMatchObject({ state: 'ready', milk: 'pouring', additions: ['whole-milk'] });
		expect(body(await one(pot.port, request('WHEN', 'coffee://ducky')))).toBe('Milk stopped');
		expect(JSON.parse(body(await one(pot.port, request('PROPFIND', 'coffee://ducky')))).name).toEqual(expect.any(String));
		expect(body(await one(pot.port, request('BREW', 'coffee://ducky', COFFEE, 'stop')))).toBe('Stopped: emptied the pot of coffee with whole-milk');
		expect(body(await one(pot.port, request('BREW', 'coffee://ducky', COFFEE, 'stop')))).toBe('Nothing to stop: the pot is empty');
		const history = JSON.parse(body(await one(pot.port, request('GET', 'coffee://ducky/history'))));
		expect(history[0]).toMatchObject({ pot: 'ducky', beverage: 'coffee', additions: ['whole-milk'], outcome: 'completed' });
	});

	it('takes a request split into one-byte writes', async () => {
		const raw = request('GET', 'coffee://ducky', { Connection: 'close' });
		const result = await talk(pot.port, [...raw].map((c) => c), { gapMs: 1 });
		expect(result.responses.map((r) => r.status)).toEqual([200]);
		expect(result.closed).toBe(true);
	});

	it('answers pipelined requests in order and honours Connection: close', async () => {
		const raw =
			request('GET', 'coffee://ducky') +
			request('MILK', 'coffee://ducky') +
			request('PROPFIND', 'coffee://ducky') +
			request('GET', 'coffee://psyduck', { Connection: 'close' }) +
			request('GET', 'coffee://ducky');
		const result = await talk(pot.port, [raw]);
		expect(result.responses.map((r) => r.status)).toEqual([200, 501, 200, 404]);
		expect(result.closed).toBe(true);
	});

	it('answers the complete requests that came before garbage in the same segment, then 400', async () => {
		const raw = request('GET', 'coffee://ducky') + request('WHEN', 'coffee://ducky') + '\x16\x03\x01 not a request\r\n\r\n';
		const result = await talk(pot.port, [raw]);
		expect(result.responses.map((r) => r.status)).toEqual([200, 200, 400]);
		expect(result.closed).toBe(true);
	});

	it('ends an unframed BREW body at an idle gap, as the original web app sends it', async () => {
		const raw = 'BREW coffee://ducky HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\n\r\nstop';
		const result = await talk(pot.port, [raw], { expect: 1 });
		expect(result.responses[0].status).toBe(200);
	});

	it('answers 408 to a client that stalls mid-request, then closes', async () => {
		const result = await talk(pot.port, ['GET coffee://ducky HTTP/1.1\r\nUse-Po']);
		expect(result.responses.map((r) => r.status)).toEqual([408]);
		expect(result.closed).toBe(true);
	});

	it('answers 431 to an oversize head and 413 to an oversize body', async () => {
		const big = await talk(pot.port, [`GET coffee://ducky HTTP/1.1\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`]);
		expect(big.responses.map((r) => r.status)).toEqual([431]);
		const huge = await talk(pot.port, ['BREW coffee://ducky HTTP/1.1\r\nContent-Length: 70000\r\n\r\nstart']);
		expect(huge.responses.map((r) => r.status)).toEqual([413]);
	});

	it('answers garbage with 400 while other clients carry on', async () => {
		const other = net.connect({ host: '127.0.0.1', port: pot.port });
		await new Promise((r) => other.once('connect', r));
		const garbage = await talk(pot.port, [new Uint8Array([0x16, 0x03, 0x01, 0x00, 0xff, 0x00, 0x0d, 0x0a, 0x0d, 0x0a])]);
		expect(garbage.responses.map((r) => r.status)).toEqual([400]);
		// A client that resets mid-request.
		const rude = net.connect({ host: '127.0.0.1', port: pot.port });
		await new Promise((r) => rude.once('connect', r));
		rude.write('BREW coffee://ducky HTTP/1.1\r\nContent-Le');
		rude.resetAndDestroy();
		other.write(request('GET', 'coffee://ducky', { Connection: 'close' }));
		const answer = await new Promise<string>((resolve) => {
			let got = '';
			other.on('data', (c) => (got += c.toString()));
			other.on('end', () => resolve(got));
		});
		expect(answer.startsWith('HTCPCP/1.1 200 OK\r\n')).toBe(true);
	});

	it('keeps serving with 1,000 idle connections open', async () => {
		const idle: net.Socket[] = [];
		try {
			for (let i = 0; i < 1000; i++) {
				const s = net.connect({ host: '127.0.0.1', port: pot.port });
				s.on('error', () => {});
				idle.push(s);
			}
			await Promise.all(idle.map((s) => new Promise((r) => (s.connecting ? s.once('connect', r) : r(null)))));
			const r = await one(pot.port, request('GET', 'coffee://ducky'));
			expect(r.status).toBe(200);
		} finally {
			for (const s of idle) s.destroy();
		}
	});

	it('survives a socket fuzz of mutated requests and still answers correctly', async () => {
		const random = seededRandom(7168);
		for (let batch = 0; batch < 25; batch++) {
			await Promise.all(
				Array.from({ length: 20 }, async () => {
					const result = await talk(pot.port, [fuzzInput(random)], { end: true });
					for (const r of result.responses) expect(r.protocol).toBe('HTCPCP');
				})
			);
		}
		await one(pot.port, request('BREW', 'coffee://ducky', COFFEE, 'stop'));
		const r = await one(pot.port, request('GET', 'coffee://ducky'));
		expect([r.status, body(r)]).toEqual([200, '{}']);
	});

	it('logs each request and response readably', () => {
		const out = pot.output();
		expect(out).toMatch(/request from 127\.0\.0\.1:\d+: BREW coffee:\/\/ducky HTTP\/1\.1/);
		expect(out).toMatch(/response to 127\.0\.0\.1:\d+: HTCPCP\/1\.1 418 I'm a teapot/);
	});

	it('names the port and the flag when the port is in use', () => {
		const result = spawnSync(TSX, ['server/pot/main.ts', '--port', String(pot.port), '--local', '--data', pot.dataDir], {
			cwd: ROOT,
			encoding: 'utf8',
			timeout: 30_000
		});
		expect(result.status).not.toBe(0);
		const lines = result.stderr.trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toContain(String(pot.port));
		expect(lines[0]).toContain('--port');
	});
});
