/**
 * Helpers for the pot's own tests: requests built from raw bytes through the
 * shared parser, a pot with a hand-moved clock, responses parsed back.
 */

import { MessageParser, utf8, type HttpMessage } from '../../src/lib/protocol/index';
import { beanPicker } from './beans';
import { PotState, type BrewEvent } from './state';

/** Parses one request from raw text (CRLF line ends), as the pot's connection would. */
export function parseRequest(raw: string): HttpMessage {
	const parser = new MessageParser('request');
	const messages = [...parser.push(utf8(raw)), ...parser.endIdleBody(), ...parser.finish()];
	if (messages.length !== 1) throw new Error(`expected one request in ${JSON.stringify(raw)}, got ${messages.length}`);
	return messages[0];
}

/** Parses every complete response in `bytes`; throws when the bytes are not well-formed responses. */
export function parseResponses(bytes: Uint8Array): HttpMessage[] {
	const parser = new MessageParser('response');
	return parser.push(bytes);
}

export interface TestPot {
	pot: PotState;
	events: BrewEvent[];
	advance(ms: number): void;
}

export function testPot(brewSeconds = 30, seed = 7): TestPot {
	let now = Date.UTC(2026, 0, 1, 9, 0, 0);
	const events: BrewEvent[] = [];
	const pot = new PotState({ brewMs: brewSeconds * 1000, pickBean: beanPicker(seed), now: () => now, onEvent: (e) => events.push(e) });
	return {
		pot,
		events,
		advance: (ms) => {
			now += ms;
		}
	};
}

/** Well-formed requests the fuzzer starts from. */
export const FUZZ_SEEDS: readonly string[] = [
	'GET coffee://ducky HTTP/1.1\r\n\r\n',
	'BREW coffee://ducky HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\nAccept-Additions: cream; vanilla\r\nContent-Length: 5\r\n\r\nstart',
	'BREW coffee://ducky HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\nContent-Length: 4\r\n\r\nstop',
	'POST koffie://ducky/pot-0?skim HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nstart\r\n0\r\n\r\n',
	'BREW coffee://ducky/pot-1/sencha HTTP/1.1\r\nContent-Type: message/teapot\r\nContent-Length: 5\r\n\r\nstart',
	'PROPFIND coffee://ducky HTTP/1.1\r\nUse-Pot: ducky\r\n\r\n',
	'WHEN %E5%92%96%E5%95%A1://ducky HTTP/1.1\r\nConnection: keep-alive\r\n\r\n',
	'GET coffee://ducky/history HTTP/1.1\r\n\r\n',
	'BREW coffee://ducky HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\nUse-Pot: tea\r\n\r\nstart'
];

const FUZZ_TOKENS = [
	'\r\n', '\n', '\r', ' ', ':', '\x00', '\xff', '%', '%zz', '//', '?', ';', ',', 'Content-Length: 99999999\r\n',
	'Content-Length: -1\r\n', 'Transfer-Encoding: gzip\r\n', 'HTTP/2.0', 'HTCPCP/1.0', 'MILK', 'caffeine', '\u2615', 'Use-Pot: ',
	'Accept-Additions: chamomile\r\n', 'Connection: close\r\n', 'ffffffffffff\r\n', '\x16\x03\x01'
];

/** A random or mutated request, reproducible from `random`. */
export function fuzzInput(random: () => number): Uint8Array {
	const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
	const kind = random();
	if (kind < 0.1) {
		// Pure noise.
		const bytes = new Uint8Array(1 + Math.floor(random() * 300));
		for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
		return bytes;
	}
	let bytes = Array.from(utf8(pick(FUZZ_SEEDS)));
	const edits = 1 + Math.floor(random() * 4);
	for (let e = 0; e < edits; e++) {
		const at = Math.floor(random() * (bytes.length + 1));
		const op = random();
		if (op < 0.25) bytes[at] = Math.floor(random() * 256);
		else if (op < 0.45) bytes.splice(at, Math.floor(random() * 8));
		else if (op < 0.75) bytes.splice(at, 0, ...utf8(pick(FUZZ_TOKENS)));
		else if (op < 0.85) bytes = bytes.slice(0, at);
		else bytes.push(...utf8(pick(FUZZ_SEEDS)));
	}
	return new Uint8Array(bytes);
}
