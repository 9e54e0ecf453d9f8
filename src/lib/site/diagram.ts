/**
 * The space-time diagram's content: one arrow per thing worth drawing, in
 * wire order. Handshakes (RFC 9293 section 3.5) can be folded into one
 * two-headed arrow, bare ACKs and segments of longer messages are left out,
 * and each message is drawn once, at the frame that completes it.
 */

import { messageSummary } from '$lib/protocol/analysis/frames';
import type { CaptureAnalysis } from '$lib/protocol/analysis/model';
import { connectionLanes, type Lane } from './lanes';
import { findHandshake, type Alert, type FrameTest } from './rows';
import type { LabPorts } from './source';

export type ArrowKind = 'handshake' | 'syn' | 'synack' | 'ack' | 'request' | 'response' | 'tls' | 'fin' | 'rst';

export interface Arrow {
	key: string;
	frame: number;
	stream: number;
	from: Lane;
	to: Lane;
	kind: ArrowKind;
	label: string;
	alert: Alert;
	/** Seconds since the first frame. */
	time: number;
}

export interface DiagramOptions {
	ports: LabPorts;
	label: (stream: number) => string | undefined;
	collapseHandshakes: boolean;
	test?: FrameTest | null;
}

const LANE_ORDER: Lane[] = ['browser', 'webapp', 'pot', 'client', 'server'];

function alertOf(status: number | undefined): Alert {
	if (status === 418) return 'teapot';
	if (status === 406) return 'refused';
	return status !== undefined && status >= 400 ? 'error' : null;
}

export function buildArrows(a: CaptureAnalysis, options: DiagramOptions): { lanes: Lane[]; arrows: Arrow[] } {
	const lanes = a.connections.map((c) => connectionLanes(c, options.ports, options.label(c.stream)));
	const handshakeAck = new Set<number>();
	for (const c of a.connections) {
		// The live analyzer leaves empty slots where it forgot old connections and frames.
		if (!c) continue;
		const h = findHandshake(c, a.frames);
		if (h.ack !== undefined) handshakeAck.add(h.ack);
	}
	const used = new Set<Lane>(['browser', 'webapp', 'pot']);
	const arrows: Arrow[] = [];
	for (const f of a.frames) {
		const t = f?.tcp;
		if (!t) continue;
		if (options.test && !options.test(f, a)) continue;
		const pair = lanes[t.stream];
		if (!pair) continue;
		const [from, to] = t.direction === 0 ? pair : [pair[1], pair[0]];
		const base = { frame: f.number, stream: t.stream, from, to, time: f.time, alert: null as Alert };
		const push = (kind: ArrowKind, label: string, alert: Alert = null, suffix = '') => {
			used.add(from);
			used.add(to);
			arrows.push({ ...base, key: `${f.number}${kind}${suffix}`, kind, label, alert });
		};
		if (t.flags & 0x02) {
			if (t.flags & 0x10) {
				if (!options.collapseHandshakes) push('synack', 'SYN, ACK');
			} else {
				push(options.collapseHandshakes ? 'handshake' : 'syn', options.collapseHandshakes ? `TCP handshake :${t.sourcePort} → :${t.destinationPort}` : `SYN :${t.sourcePort} → :${t.destinationPort}`);
			}
			continue;
		}
		if (handshakeAck.has(f.number)) {
			if (!options.collapseHandshakes) push('ack', 'ACK');
			continue;
		}
		for (const id of f.messages) {
			const m = a.messages[id];
			if (!m) continue;
			push(m.message.kind, messageSummary(m), alertOf(m.message.status), `m${id}`);
		}
		if (f.tlsRecords.length > 0) push('tls', `TLS: ${f.summary}`);
		if (t.flags & 0x04) push('rst', 'RST');
		else if (t.flags & 0x01) push('fin', 'FIN');
	}
	return { lanes: LANE_ORDER.filter((l) => used.has(l)), arrows };
}
