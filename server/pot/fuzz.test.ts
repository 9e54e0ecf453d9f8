/**
 * Fuzz: 10,000 random and mutated requests, each fed in random pieces to a
 * connection (the same code the TCP server runs, minus the socket). Every
 * answer must be a well-formed HTCPCP response; afterwards the pot still
 * answers a plain GET correctly.
 */
import { describe, expect, it } from 'vitest';
import { getHeader, text, type HttpMessage } from '../../src/lib/protocol/index';
import { seededRandom } from './beans';
import { PotConnection, type Transport } from './connection';
import { handleRequest } from './handler';
import { fuzzInput, parseResponses, testPot } from './testing';

const CASES = 10_000;

function drive(input: Uint8Array, random: () => number, handle: (r: HttpMessage) => ReturnType<typeof handleRequest>) {
	const out: Uint8Array[] = [];
	let ended = false;
	const transport: Transport = {
		write: (b) => (out.push(b), true),
		end: () => {
			ended = true;
		},
		destroy: () => {
			ended = true;
		},
		pause: () => {},
		resume: () => {}
	};
	const connection = new PotConnection(transport, { handle, peer: 'fuzz' });
	let at = 0;
	while (at < input.length && !connection.finished) {
		const size = 1 + Math.floor(random() * 64);
		connection.receive(input.subarray(at, at + size));
		at += size;
	}
	connection.peerEnded();
	connection.close();
	const bytes = new Uint8Array(out.reduce((n, b) => n + b.length, 0));
	let o = 0;
	for (const b of out) {
		bytes.set(b, o);
		o += b.length;
	}
	return { bytes, ended };
}

function checkWellFormed(response: HttpMessage): void {
	expect(response.protocol).toBe('HTCPCP');
	expect(response.reason?.length ?? 0).toBeGreaterThan(0);
	expect(getHeader(response.headers, 'server')).toBe('CoffeePot');
	expect(getHeader(response.headers, 'date')).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
	expect(getHeader(response.headers, 'content-type')).toBe('message/coffeepot');
	expect(Number(getHeader(response.headers, 'content-length'))).toBe(response.body.length);
	if (response.status !== 200) expect(text(response.body).length).toBeGreaterThan(0);
}

describe('pot fuzz', () => {
	it(`stays correct after ${CASES} random and mutated requests`, () => {
		const t = testPot(0.001);
		const handle = (r: HttpMessage) => handleRequest(r, { pot: t.pot, history: () => [] });
		const random = seededRandom(20260401);
		const statuses = new Map<number, number>();
		for (let i = 0; i < CASES; i++) {
			const input = fuzzInput(random);
			const { bytes, ended } = drive(input, random, handle);
			expect(ended, `case ${i} left the connection open`).toBe(true);
			const responses = parseResponses(bytes);
			// Every byte of output belongs to a complete response.
			expect(responses.reduce((n, r) => n + r.length, 0)).toBe(bytes.length);
			for (const r of responses) {
				checkWellFormed(r);
				statuses.set(r.status ?? 0, (statuses.get(r.status ?? 0) ?? 0) + 1);
			}
		}
		// The mutations reach many different answers, not just one kind of refusal.
		expect(statuses.size).toBeGreaterThanOrEqual(8);
		// A 500 would mean the handler threw: no input may do that.
		expect([...statuses.keys()]).not.toContain(500);
		t.pot.stop();
		const { bytes } = drive(new TextEncoder().encode('GET coffee://ducky HTTP/1.1\r\n\r\n'), random, handle);
		const [answer] = parseResponses(bytes);
		expect(answer.status).toBe(200);
		expect(text(answer.body)).toBe('{}');
	});
});
