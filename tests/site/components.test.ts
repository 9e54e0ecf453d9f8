/**
 * Components rendered to HTML (Svelte's server renderer): whatever comes from
 * the wire is text, so a header or body holding HTML appears escaped.
 */
import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import FrameDetail from '../../src/lib/components/FrameDetail.svelte';
import Inspector from '../../src/lib/components/Inspector.svelte';
import MessageDetail from '../../src/lib/components/MessageDetail.svelte';
import { LiveTraffic } from '../../src/lib/site/live.svelte';
import { relay } from '../../src/lib/site/relay.svelte';
import { trafficView } from '../../src/lib/site/view.svelte';
import { courseCapture, exchange, TEAPOT_REQUEST, TEAPOT_RESPONSE } from './helpers';
import { RELAY_PROTOCOL_VERSION } from '../../src/lib/relay-protocol/index';

const EVIL = '<img src=x onerror="alert(1)">';

describe('message and frame detail', () => {
	it('shows a header and a body containing HTML as text', () => {
		const live = new LiveTraffic();
		live.reset({ pot: 41000, webapp: 41001 });
		const response = `HTCPCP/1.1 406 Not Acceptable\r\nServer: CoffeePot\r\nX-Note: ${EVIL}\r\nContent-Type: text/plain\r\nContent-Length: 25\r\n\r\n<script>alert(2)</script>`;
		for (const m of exchange(1, 'client → pot', 50001, 41000, TEAPOT_REQUEST, response)) live.push(m);
		const a = live.analysis;
		const reply = a.messages.find((m) => m.message.kind === 'response');
		if (!reply) throw new Error('no response analysed');
		const { body } = render(MessageDetail, { props: { analysis: a, message: reply } });
		expect(body).not.toContain('<img');
		expect(body).not.toContain('<script>alert');
		expect(body).toContain('&lt;img src=x onerror="alert(1)">');
		expect(body).toContain('&lt;script>alert(2)&lt;/script>');
		// The 406 is announced loudly, with its RFC section.
		expect(body).toContain('role="alert"');
		expect(body).toContain('Not Acceptable');
		expect(body).toMatch(/RFC 2324 §2\.3\.1|RFC 9110 §15\.5\.7/);
	});

	it('shows frame 13 of the course capture as an annotated HTCPCP response', () => {
		const a = courseCapture();
		const { body } = render(FrameDetail, { props: { analysis: a, number: 13, onselect: () => {} } });
		expect(body).toContain('Frame 13');
		expect(body).toContain('HTCPCP/1.1 200 OK');
		expect(body).toContain('answers the request in frame 11');
		expect(body).toContain('Content-Type');
		expect(body).toContain('RFC 2324');
	});

	it('explains a bare TCP frame by its flags', () => {
		const a = courseCapture();
		const { body } = render(FrameDetail, { props: { analysis: a, number: 1, onselect: () => {} } });
		expect(body).toContain('step 1 of the three-way handshake');
		expect(body).toContain('RFC 9293 §3.5');
	});
});

describe('TLS and long lists', () => {
	it('shows an encrypted TLS record as unreadable, with the reason', () => {
		const live = new LiveTraffic();
		live.reset({ pot: 41000, webapp: 41001 });
		const t0 = 1_700_000_000_000_000;
		const record = Buffer.from([0x17, 0x03, 0x03, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8]).toString('base64');
		live.push({ v: RELAY_PROTOCOL_VERSION, type: 'traffic', event: { kind: 'open', conn: 1, timeUs: t0, client: { address: '127.0.0.1', port: 50002 }, server: { address: '127.0.0.1', port: 41001 }, label: 'browser → web app' } });
		live.push({ v: RELAY_PROTOCOL_VERSION, type: 'traffic', event: { kind: 'data', conn: 1, timeUs: t0 + 10, from: 'client', bytes: record, length: 13 } });
		const a = live.analysis;
		const frame = a.frames.find((f) => f.tlsRecords.length > 0);
		if (!frame) throw new Error('no TLS record analysed');
		const { body } = render(FrameDetail, { props: { analysis: a, number: frame.number, onselect: () => {} } });
		expect(body).toContain('Unreadable:');
		expect(body).toContain('RFC 8446');
	});

	it('puts only the rows in view into the page, however long the list', () => {
		const view = trafficView();
		const live = relay().live;
		live.reset({ pot: 41000, webapp: 41001 });
		for (let i = 0; i < 500; i++) {
			for (const m of exchange(i + 1, 'client → pot', 20000 + i, 41000, TEAPOT_REQUEST, TEAPOT_RESPONSE, 1_700_000_000_000_000 + i * 1000)) live.push(m);
		}
		expect(view.source).toBe(live);
		expect(live.analysis.messages.length).toBe(1000);
		const { body } = render(Inspector, { props: { filter: 'htcpcp' } });
		expect(body).toContain('1000 of');
		const rendered = body.match(/data-frame-row=/g)?.length ?? 0;
		expect(rendered).toBeGreaterThan(0);
		expect(rendered).toBeLessThan(60);
	});
});
