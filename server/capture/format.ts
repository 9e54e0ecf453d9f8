/** Text and JSON output of the capture CLI. */

import { endpointString, type DetailField, type FrameDetail } from '../../src/lib/protocol/analysis/detail';
import type { AnalyzedMessage, CaptureAnalysis, FrameInfo } from '../../src/lib/protocol/analysis/model';
import { startLine, text } from '../../src/lib/protocol/index';
import type { CaptureError } from '../../src/lib/protocol/capture/types';

/** One line per frame: number, time, source → destination, protocol, summary. */
export function frameLine(fr: FrameInfo, widths: { number: number }): string {
	const src = endpointString(fr.source || '?', fr.sourcePort);
	const dst = endpointString(fr.destination || '?', fr.destinationPort);
	return `${String(fr.number).padStart(widths.number)} ${fr.time.toFixed(6).padStart(11)}  ${src} → ${dst}  ${fr.protocol.padEnd(6)} ${fr.summary}`;
}

export function frameList(frames: readonly FrameInfo[], total: number): string[] {
	const widths = { number: String(total).length };
	return frames.map((fr) => frameLine(fr, widths));
}

function fieldLines(field: DetailField, depth: number, out: string[]): void {
	const pad = '    '.repeat(depth);
	out.push(`${pad}${field.label}: ${field.value}`);
	if (field.note) {
		const n = field.note;
		out.push(`${pad}    ↳ ${n.inThisMessage ?? n.meaning} [${n.rfc}]`);
		if (n.inThisMessage && n.meaning) out.push(`${pad}      ${n.meaning}`);
		if (n.explanation) out.push(`${pad}      ${n.explanation}`);
	}
	for (const c of field.children ?? []) fieldLines(c, depth + 1, out);
}

export function detailLines(d: FrameDetail): string[] {
	const out: string[] = [];
	for (const layer of d.layers) {
		out.push(layer.title);
		for (const field of layer.fields) fieldLines(field, 1, out);
	}
	return out;
}

export function frameJson(fr: FrameInfo): Record<string, unknown> {
	return {
		number: fr.number,
		time: Number(fr.time.toFixed(9)),
		epoch: `${fr.seconds}.${String(fr.nanos).padStart(9, '0')}`,
		length: fr.length,
		source: fr.source,
		sourcePort: fr.sourcePort,
		destination: fr.destination,
		destinationPort: fr.destinationPort,
		protocol: fr.protocol,
		summary: fr.summary,
		...(fr.tcp
			? {
					tcp: {
						stream: fr.tcp.stream,
						flags: fr.tcp.flags,
						seq: fr.tcp.relativeSeq,
						ack: fr.tcp.relativeAck,
						window: fr.tcp.scaledWindow,
						length: fr.tcp.payload.length,
						retransmission: fr.tcp.retransmission,
						outOfOrder: fr.tcp.outOfOrder
					}
				}
			: {}),
		messages: fr.messages,
		tlsRecords: fr.tlsRecords,
		problems: fr.problems,
		...(fr.comments.length ? { comments: fr.comments } : {})
	};
}

export function messageJson(m: AnalyzedMessage): Record<string, unknown> {
	return {
		id: m.id,
		stream: m.stream,
		protocol: m.protocol,
		kind: m.message.kind,
		startLine: startLine(m.message),
		headers: m.message.headers,
		body: text(m.message.body.subarray(0, 4096)),
		bodyLength: m.message.body.length,
		frame: m.frame,
		frames: m.frames,
		...(m.answers !== undefined ? { answers: m.answers } : {})
	};
}

export function analysisJson(
	file: string,
	format: string,
	a: CaptureAnalysis,
	frames: readonly FrameInfo[],
	error?: CaptureError
): Record<string, unknown> {
	const keep = new Set<number>();
	for (const fr of frames) for (const id of fr.messages) keep.add(id);
	return {
		file,
		format,
		frameCount: a.frames.length,
		frames: frames.map(frameJson),
		messages: a.messages.filter((m) => keep.has(m.id)).map(messageJson),
		tlsRecords: a.tlsRecords.filter((r) => frames.some((fr) => fr.number === r.frame)).map((r) => ({ ...r })),
		connections: a.connections.map((c) => ({ stream: c.stream, client: c.client, server: c.server, sawHandshake: c.sawHandshake, kinds: c.kinds })),
		...(error ? { error: { code: error.code, message: error.message, offset: error.offset } } : {})
	};
}
