// What a page receives for a turn's messages: batches for runs of traffic,
// single frames for everything else, in order, and every frame valid.
import { describe, expect, it } from 'vitest';
import { MAX_BATCH_MESSAGES, parseServerMessage, RELAY_PROTOCOL_VERSION, type ServerMessage, type TrafficEventMessage } from '../../src/lib/relay-protocol/index';
import { framesFor } from './frames';

const v = RELAY_PROTOCOL_VERSION;
const data = (conn: number, size = 8): TrafficEventMessage => ({
	v,
	type: 'traffic',
	event: { kind: 'data', conn, timeUs: 1_700_000_000_000_000 + conn, from: 'client', bytes: Buffer.alloc(size, 0x61).toString('base64'), length: size }
});
const status: ServerMessage = { v, type: 'error', code: 'invalid-json', message: 'not JSON' };

/** The frames, parsed as a page parses them, with batches opened up. */
function read(frames: string[]): { kinds: string[]; messages: ServerMessage[] } {
	const kinds: string[] = [];
	const messages: ServerMessage[] = [];
	for (const frame of frames) {
		const parsed = parseServerMessage(frame);
		if (!parsed.ok) throw new Error(parsed.error);
		kinds.push(parsed.message.type === 'batch' ? `batch×${parsed.message.messages.length}` : parsed.message.type);
		if (parsed.message.type === 'batch') messages.push(...parsed.message.messages);
		else messages.push(parsed.message);
	}
	return { kinds, messages };
}

describe('frames for the pages', () => {
	it('sends a run of traffic as one batch, and a lone message as itself', () => {
		const messages = [data(1), data(2), data(3)];
		expect(read(framesFor(messages))).toEqual({ kinds: ['batch×3'], messages });
		expect(read(framesFor([data(4)])).kinds).toEqual(['traffic']);
	});

	it('keeps other messages in their place between batches', () => {
		const messages = [data(1), data(2), status, data(3), data(4), data(5)];
		expect(read(framesFor(messages))).toEqual({ kinds: ['batch×2', 'error', 'batch×3'], messages });
	});

	it('never puts more than the protocol allows in one batch', () => {
		const messages = Array.from({ length: MAX_BATCH_MESSAGES * 2 + 3 }, (_, i) => data(i));
		const out = read(framesFor(messages));
		expect(out.kinds).toEqual([`batch×${MAX_BATCH_MESSAGES}`, `batch×${MAX_BATCH_MESSAGES}`, 'batch×3']);
		expect(out.messages).toEqual(messages);
	});

	it('sends large events in frames of their own rather than one huge batch', () => {
		const messages = [data(1, 50_000), data(2, 50_000), data(3, 10), data(4, 10)];
		expect(read(framesFor(messages))).toEqual({ kinds: ['traffic', 'traffic', 'batch×2'], messages });
	});

	it('is refused by a page when a batch nests or is empty', () => {
		expect(parseServerMessage(JSON.stringify({ v, type: 'batch', messages: [] })).ok).toBe(false);
		expect(parseServerMessage(JSON.stringify({ v, type: 'batch', messages: [{ v, type: 'batch', messages: [data(1)] }] })).ok).toBe(false);
		expect(parseServerMessage(JSON.stringify({ v, type: 'batch', messages: [status] })).ok).toBe(false);
	});
});
