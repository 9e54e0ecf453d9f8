import { describe, expect, it } from 'vitest';
import { buildArrows } from '../../src/lib/site/diagram';
import { buildRows, compileFilter, frameAlert, type ConnRow, type FrameRow } from '../../src/lib/site/rows';
import { DEFAULT_PORTS } from '../../src/lib/site/source';
import { courseCapture } from './helpers';

const noLabel = () => undefined;

describe('inspector rows on the homepage capture', () => {
	const a = courseCapture();

	it('groups frames under their connection with ports and handshake', () => {
		const { rows, shown } = buildRows(a, { test: null, grouped: true, ports: DEFAULT_PORTS, label: noLabel });
		expect(shown).toBe(a.frames.length);
		const conns = rows.filter((r): r is ConnRow => r.kind === 'conn');
		expect(conns[0].title).toBe('Connection 0: Browser :55433 → Web app :5031');
		expect(conns[0].handshake).toBe('handshake: SYN 1, SYN-ACK 2, ACK 3');
		expect(conns[1].title).toMatch(/^Connection 1: Web app :\d+ → Pot :5030$/);
		expect(conns[1].handshake).toMatch(/^handshake: SYN 7, SYN-ACK 8, ACK (9|10)$/);
	});

	it('applies the capture tool filter syntax', () => {
		const f = compileFilter('htcpcp');
		if (!f.ok) throw new Error(f.error);
		const { rows } = buildRows(a, { test: f.test, grouped: false, ports: DEFAULT_PORTS, label: noLabel });
		const frames = rows.filter((r): r is FrameRow => r.kind === 'frame');
		expect(frames.map((r) => r.number)).toEqual([11, 13]);
		expect(frames[1].summary).toContain('HTCPCP/1.1 200 OK');
		expect(frames[1].hop).toBe('Pot → Web app');

		const syn = compileFilter('tcp.flags.syn == 1 and tcp.port == 5031');
		if (!syn.ok) throw new Error(syn.error);
		expect(buildRows(a, { test: syn.test, grouped: false, ports: DEFAULT_PORTS, label: noLabel }).rows.map((r) => (r as FrameRow).number).slice(0, 2)).toEqual([1, 2]);
	});

	it('explains a filter it cannot read', () => {
		const f = compileFilter('tcp.port = 5031');
		expect(f.ok).toBe(false);
		if (!f.ok) expect(f.error).toMatch(/operator.*at character/);
		expect(compileFilter('   ')).toEqual({ ok: true, test: null });
	});

	it('marks nothing in a capture without errors', () => {
		expect(a.frames.map((fr) => frameAlert(fr, a)).filter(Boolean)).toEqual([]);
	});
});

describe('sequence diagram arrows on the homepage capture', () => {
	const a = courseCapture();

	it('draws handshakes, requests, responses and closes in wire order', () => {
		const { lanes, arrows } = buildArrows(a, { ports: DEFAULT_PORTS, label: noLabel, collapseHandshakes: true });
		expect(lanes).toEqual(['browser', 'webapp', 'pot']);
		expect(arrows[0]).toMatchObject({ frame: 1, kind: 'handshake', from: 'browser', to: 'webapp' });
		const frame13 = arrows.find((x) => x.frame === 13);
		expect(frame13).toMatchObject({ kind: 'response', from: 'pot', to: 'webapp' });
		expect(frame13?.label).toContain('HTCPCP/1.1 200 OK');
		expect(arrows.some((x) => x.kind === 'fin' && x.frame === 15 && x.from === 'pot')).toBe(true);
		const times = arrows.map((x) => x.frame);
		expect([...times].sort((p, q) => p - q)).toEqual(times);
	});

	it('draws each handshake step when not collapsed', () => {
		const { arrows } = buildArrows(a, { ports: DEFAULT_PORTS, label: noLabel, collapseHandshakes: false });
		expect(arrows.slice(0, 3).map((x) => [x.frame, x.kind, x.from, x.to])).toEqual([
			[1, 'syn', 'browser', 'webapp'],
			[2, 'synack', 'webapp', 'browser'],
			[3, 'ack', 'browser', 'webapp']
		]);
	});
});
