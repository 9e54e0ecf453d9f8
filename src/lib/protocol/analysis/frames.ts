/**
 * The frame list: runs a capture file through the engine and gives every
 * frame its protocol and one-line summary, the way a capture list shows them.
 * A message appears on the frame holding its last byte; the earlier frames it
 * spans say they are a segment of it.
 */

import { flagsSummary } from '../capture/tcp';
import type { CaptureFile } from '../capture/types';
import { mediaType, getHeader, startLine } from '../message';
import { CaptureAnalyzer } from './engine';
import type { AnalyzedMessage, CaptureAnalysis, FrameInfo, TlsRecordInfo } from './model';

export function messageSummary(m: AnalyzedMessage): string {
	const type = mediaType(getHeader(m.message.headers, 'content-type'));
	const line = startLine(m.message);
	return m.message.body.length > 0 && type ? `${line} (${type})` : line;
}

export function tlsSummary(r: TlsRecordInfo): string {
	if (r.contentType === 22 && !r.encrypted) {
		return r.handshakes
			.map((h) => (h.serverName ? `${h.name} (SNI=${h.serverName})` : h.name))
			.join(', ');
	}
	if (r.contentType === 22) return 'Encrypted Handshake Message';
	if (r.contentType === 21) return r.encrypted ? 'Encrypted Alert' : 'Alert';
	return r.contentTypeName;
}

const flagTexts: string[] = [];
function flagText(flags: number): string {
	return (flagTexts[flags & 0xff] ??= flagsSummary(flags & 0xff));
}

function tcpSummary(f: FrameInfo): string {
	const t = f.tcp;
	if (!t) return f.problems[0] ?? '';
	const notes: string[] = [];
	if (t.retransmission) notes.push('[Retransmission]');
	else if (t.outOfOrder) notes.push('[Out-Of-Order]');
	else if (t.overlap) notes.push('[Overlap]');
	const parts = [...notes, flagText(t.flags), `Seq=${t.relativeSeq}`];
	if (t.flags & 0x10) parts.push(`Ack=${t.relativeAck}`);
	parts.push(`Win=${t.scaledWindow}`, `Len=${t.payload.length}`);
	if (t.options.mss !== undefined) parts.push(`MSS=${t.options.mss}`);
	if (t.options.windowScale !== undefined) parts.push(`WS=${2 ** t.options.windowScale}`);
	if (t.options.sackPermitted) parts.push('SACK_PERM');
	if (f.partOfLater && t.payload.length > 0) parts.push('[segment of a reassembled message]');
	else if (t.payload.length > 0 && f.problems.length > 0) parts.push(`[${f.problems[0]}]`);
	return parts.join(' ');
}

/** Sets `protocol` and `summary` of a frame from what it completes. */
export function summarizeFrame(f: FrameInfo, messages: readonly AnalyzedMessage[], records: readonly TlsRecordInfo[]): void {
	if (f.messages.length > 0) {
		const ms = f.messages.map((id) => messages[id]);
		f.protocol = ms.some((m) => m.protocol === 'HTCPCP') ? 'HTCPCP' : 'HTTP';
		f.summary = ms.map(messageSummary).join(', ');
		return;
	}
	if (f.tlsRecords.length > 0) {
		f.protocol = 'TLS';
		const names: string[] = [];
		for (const id of f.tlsRecords) {
			const s = tlsSummary(records[id]);
			if (names[names.length - 1] !== s) names.push(s);
		}
		f.summary = names.join(', ');
		return;
	}
	if (f.tcp) {
		f.protocol = 'TCP';
		f.summary = tcpSummary(f);
		return;
	}
	f.summary = f.problems[0] ?? '';
}

export function summarizeAll(a: CaptureAnalysis): void {
	for (const f of a.frames) summarizeFrame(f, a.messages, a.tlsRecords);
}

/** Analyzes every packet of a capture file. */
export function analyzeCapture(file: CaptureFile): CaptureAnalysis {
	const engine = new CaptureAnalyzer();
	for (const p of file.packets) {
		engine.addPacket({
			number: p.number,
			seconds: p.seconds,
			nanos: p.nanos,
			length: p.originalLength,
			capturedLength: p.capturedLength,
			linkType: p.interface.linkType,
			interfaceName: p.interface.name,
			data: p.data,
			comments: p.comments
		});
	}
	engine.finish();
	const analysis = engine.result();
	summarizeAll(analysis);
	return analysis;
}
