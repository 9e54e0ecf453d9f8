/**
 * The inspector's list: frames that pass the display filter, either in wire
 * order or grouped under their TCP connection (with its ports and where its
 * three-way handshake is, RFC 9293 section 3.5). Pure functions of the
 * analysis, so a thousand frames are cheap to regroup on every update.
 */

import { FilterError, parseFilter } from '$lib/protocol/analysis/filter';
import type { CaptureAnalysis, ConnectionInfo, FrameInfo } from '$lib/protocol/analysis/model';
import { connectionLanes, describeConnection, LANE_NAMES, type Lane } from './lanes';
import type { LabPorts } from './source';

const SYN = 0x02;
const ACK = 0x10;
const FIN = 0x01;
const RST = 0x04;

export type FrameTest = (f: FrameInfo, a: Pick<CaptureAnalysis, 'messages' | 'tlsRecords'>) => boolean;
export type CompiledFilter = { ok: true; test: FrameTest | null } | { ok: false; error: string };

/** Compiles a display filter; an empty one lets everything through. */
export function compileFilter(text: string): CompiledFilter {
	if (text.trim() === '') return { ok: true, test: null };
	try {
		return { ok: true, test: parseFilter(text) };
	} catch (error) {
		if (error instanceof FilterError) return { ok: false, error: `${error.message} (at character ${error.position + 1})` };
		return { ok: false, error: (error as Error).message };
	}
}

/** How loud a frame should look: the lab's two headline errors stand out. */
export type Alert = 'teapot' | 'refused' | 'error' | null;

export function frameAlert(f: FrameInfo, a: Pick<CaptureAnalysis, 'messages'>): Alert {
	let out: Alert = null;
	for (const id of f.messages) {
		const status = a.messages[id]?.message.status;
		if (status === 418) return 'teapot';
		if (status === 406) out = 'refused';
		else if (status !== undefined && status >= 400 && out === null) out = 'error';
	}
	return out;
}

export interface Handshake {
	syn?: number;
	synAck?: number;
	ack?: number;
}

/** Finds the frames of a connection's handshake: SYN, SYN+ACK, then the client's first bare ACK. */
export function findHandshake(conn: ConnectionInfo, frames: readonly FrameInfo[]): Handshake {
	const out: Handshake = {};
	for (const n of conn.frames) {
		const t = frames[n - 1]?.tcp;
		if (!t) continue;
		if (t.flags & SYN) {
			if (t.flags & ACK) out.synAck ??= n;
			else out.syn ??= n;
		} else if (out.synAck !== undefined && t.direction === 0 && t.flags & ACK && t.payload.length === 0 && !(t.flags & (FIN | RST))) {
			out.ack = n;
			break;
		} else if (out.synAck !== undefined || out.syn === undefined) {
			break;
		}
	}
	return out;
}

export function describeHandshake(h: Handshake): string {
	if (h.syn === undefined && h.synAck === undefined) return 'handshake not captured';
	const parts = [
		h.syn !== undefined ? `SYN ${h.syn}` : 'SYN missing',
		h.synAck !== undefined ? `SYN-ACK ${h.synAck}` : 'no SYN-ACK yet',
		...(h.ack !== undefined ? [`ACK ${h.ack}`] : [])
	];
	return `handshake: ${parts.join(', ')}`;
}

export interface ConnRow {
	kind: 'conn';
	key: string;
	stream: number;
	title: string;
	handshake: string;
	label?: string;
	lanes: [Lane, Lane];
	count: number;
}

export interface FrameRow {
	kind: 'frame';
	key: string;
	number: number;
	time: number;
	stream: number | null;
	/** Who sent it, e.g. "Web app → Pot". */
	hop: string;
	protocol: string;
	summary: string;
	alert: Alert;
}

export type Row = ConnRow | FrameRow;

export interface RowOptions {
	test: FrameTest | null;
	grouped: boolean;
	ports: LabPorts;
	label: (stream: number) => string | undefined;
}

function frameRow(f: FrameInfo, a: CaptureAnalysis, lanes: [Lane, Lane] | undefined): FrameRow {
	const t = f.tcp;
	const hop = t && lanes ? (t.direction === 0 ? `${LANE_NAMES[lanes[0]]} → ${LANE_NAMES[lanes[1]]}` : `${LANE_NAMES[lanes[1]]} → ${LANE_NAMES[lanes[0]]}`) : `${f.source} → ${f.destination}`;
	return {
		kind: 'frame',
		key: `f${f.number}`,
		number: f.number,
		time: f.time,
		stream: t ? t.stream : null,
		hop,
		protocol: f.protocol,
		summary: f.summary,
		alert: frameAlert(f, a)
	};
}

export function buildRows(a: CaptureAnalysis, options: RowOptions): { rows: Row[]; shown: number } {
	const lanes = a.connections.map((c) => connectionLanes(c, options.ports, options.label(c.stream)));
	const pass = (f: FrameInfo) => options.test === null || options.test(f, a);
	const rows: Row[] = [];
	let shown = 0;
	if (!options.grouped) {
		for (const f of a.frames) {
			// Frames the live analyzer has forgotten are empty slots.
			if (!f || !pass(f)) continue;
			rows.push(frameRow(f, a, f.tcp ? lanes[f.tcp.stream] : undefined));
			shown++;
		}
		return { rows, shown };
	}
	const loose: FrameRow[] = [];
	for (const f of a.frames) if (f && !f.tcp && pass(f)) loose.push(frameRow(f, a, undefined));
	for (const c of a.connections) {
		if (!c) continue;
		const matching = c.frames.map((n) => a.frames[n - 1]).filter((f) => f && pass(f));
		if (matching.length === 0) continue;
		const label = options.label(c.stream);
		rows.push({
			kind: 'conn',
			key: `c${c.stream}`,
			stream: c.stream,
			title: `Connection ${c.stream}: ${describeConnection(c, lanes[c.stream])}`,
			handshake: describeHandshake(findHandshake(c, a.frames)),
			...(label ? { label } : {}),
			lanes: lanes[c.stream],
			count: matching.length
		});
		for (const f of matching) rows.push(frameRow(f, a, lanes[c.stream]));
		shown += matching.length;
	}
	rows.push(...loose);
	return { rows, shown: shown + loose.length };
}
