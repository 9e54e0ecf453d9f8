import { describe, expect, it } from 'vitest';
import { LiveTraffic } from '../../src/lib/site/live.svelte';
import { buildArrows } from '../../src/lib/site/diagram';
import { buildRows, type ConnRow, type FrameRow } from '../../src/lib/site/rows';
import { base64ToBytes, decodeTrafficEvent } from '../../src/lib/site/wire';
import { RELAY_PROTOCOL_VERSION } from '../../src/lib/relay-protocol/index';
import { exchange, TEAPOT_REQUEST, TEAPOT_RESPONSE } from './helpers';

const ports = { pot: 41000, webapp: 41001 };

describe('live traffic from the relay', () => {
	it('decodes base64 and fills bytes the relay left out', () => {
		expect([...base64ToBytes('AAEC/w==')]).toEqual([0, 1, 2, 255]);
		const { event, missing } = decodeTrafficEvent({
			v: RELAY_PROTOCOL_VERSION,
			type: 'traffic',
			event: { kind: 'data', conn: 1, timeUs: 5, from: 'client', bytes: 'aGk=', length: 6 }
		});
		expect(missing).toBe(4);
		expect(event.type === 'data' && [...event.bytes]).toEqual([104, 105, 0, 0, 0, 0]);
	});

	it('analyses the events into labelled connections, messages and an annotated 418', async () => {
		const live = new LiveTraffic();
		live.reset(ports);
		const before = live.version;
		for (const m of exchange(1, 'client → pot', 50000, ports.pot, TEAPOT_REQUEST, TEAPOT_RESPONSE)) live.push(m);
		// Updates are batched to the next animation frame (a timer outside a browser).
		await new Promise((resolve) => setTimeout(resolve, 50));
		expect(live.version).toBeGreaterThan(before);
		const a = live.analysis;
		expect(a.messages.map((m) => m.message.status ?? m.message.method)).toEqual(['BREW', 418]);
		expect(live.label(0)).toBe('client → pot');

		const { rows } = buildRows(a, { test: null, grouped: true, ports, label: (s) => live.label(s) });
		const conn = rows[0] as ConnRow;
		expect(conn.title).toBe(`Connection 0: Web app :50000 → Pot :${ports.pot}`);
		expect(conn.handshake).toBe('handshake: SYN 1, SYN-ACK 2, ACK 3');
		const teapot = rows.find((r): r is FrameRow => r.kind === 'frame' && r.alert === 'teapot');
		expect(teapot?.summary).toContain("418 I'm a teapot");

		const { arrows } = buildArrows(a, { ports, label: (s) => live.label(s), collapseHandshakes: true });
		expect(arrows.map((x) => [x.kind, x.from, x.to, x.alert])).toEqual([
			['handshake', 'webapp', 'pot', null],
			['request', 'webapp', 'pot', null],
			['response', 'pot', 'webapp', 'teapot'],
			['fin', 'pot', 'webapp', null],
			['fin', 'webapp', 'pot', null]
		]);
	});

	it('says when long messages were cut short on the way to the page', () => {
		const live = new LiveTraffic();
		live.reset(ports);
		live.push({ v: RELAY_PROTOCOL_VERSION, type: 'traffic', event: { kind: 'open', conn: 1, timeUs: 1, client: { address: '127.0.0.1', port: 5 }, server: { address: '127.0.0.1', port: 6 } } });
		live.push({ v: RELAY_PROTOCOL_VERSION, type: 'traffic', event: { kind: 'data', conn: 1, timeUs: 2, from: 'client', bytes: 'aGk=', length: 20000 } });
		expect(live.note).toMatch(/19998 bytes/);
		live.reset(ports);
		expect(live.note).toBeNull();
		expect(live.analysis.frames).toEqual([]);
	});
});
