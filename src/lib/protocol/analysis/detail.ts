/**
 * One frame in full, Wireshark style: a tree of layers, each a list of
 * labelled fields; the message layer has every header on its own line. The
 * meaning and RFC section of each part come from the knowledge base through
 * an `Annotator`, so this file only names the fields.
 */

import { text } from '../bytes';
import { flagNames } from '../capture/tcp';
import { linkTypeName } from '../capture/link';
import { getHeader, versionString, type HttpMessage } from '../message';
import { messageSummary, tlsSummary } from './frames';
import type { AnalyzedMessage, CaptureAnalysis, FrameInfo, TlsRecordInfo } from './model';

export interface Note {
	meaning: string;
	explanation?: string;
	/** The defining section, e.g. "RFC 9293 §3.1". */
	rfc: string;
	/** For a header: what this value means in this exchange. */
	inThisMessage?: string;
}

/** Where annotations come from (the knowledge base); every method may return undefined. */
export interface Annotator {
	message?(m: AnalyzedMessage, request?: AnalyzedMessage): {
		startLine?: Array<{ label: string; value: string; note?: Note }>;
		headers?: Array<Note | undefined>;
		body?: Note;
	};
	tcpFlags?(flags: number): Note | undefined;
	tls?(record: TlsRecordInfo): Note | undefined;
	tlsHandshake?(type: number): Note | undefined;
	sni?(name: string): Note | undefined;
	/** Why encrypted records cannot be read. */
	unreadable?(): Note | undefined;
}

export interface DetailField {
	label: string;
	value: string;
	note?: Note;
	children?: DetailField[];
}

export interface DetailLayer {
	title: string;
	fields: DetailField[];
}

export interface FrameDetail {
	number: number;
	summary: string;
	protocol: string;
	layers: DetailLayer[];
}

const f = (label: string, value: string | number, note?: Note): DetailField => ({ label, value: String(value), ...(note ? { note } : {}) });

function endpoint(address: string, port?: number): string {
	const a = address.includes(':') ? `[${address}]` : address;
	return port === undefined ? a : `${a}:${port}`;
}

export function endpointString(address: string, port?: number): string {
	return endpoint(address, port);
}

function isoTime(fr: FrameInfo): string {
	const d = new Date(fr.seconds * 1000);
	return `${d.toISOString().slice(0, 19)}.${String(fr.nanos).padStart(9, '0')}Z`;
}

function bodyPreview(body: Uint8Array): string {
	const s = text(body.subarray(0, 200));
	const clean = s.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '.').replace(/\r?\n/g, '\\n');
	return body.length > 200 ? `${clean}…` : clean;
}

function messageLayer(a: CaptureAnalysis, m: AnalyzedMessage, annotator: Annotator): DetailLayer {
	const msg: HttpMessage = m.message;
	const request = m.answers !== undefined ? a.messages[m.answers] : undefined;
	const notes = annotator.message?.(m, request) ?? {};
	const fields: DetailField[] = [];
	const start: DetailField = f(
		msg.kind === 'request' ? 'Request line' : 'Status line',
		messageSummary(m).replace(/ \([^)]*\)$/, '')
	);
	start.children =
		notes.startLine?.map((p) => f(p.label, p.value, p.note)) ??
		(msg.kind === 'request'
			? [f('Method', msg.method ?? ''), f('Target', msg.target ?? ''), f('Version', versionString(msg))]
			: [f('Version', versionString(msg)), f('Status', msg.status ?? ''), f('Reason', msg.reason ?? '')]);
	fields.push(start);
	msg.headers.forEach((h, i) => fields.push(f(h.name, h.value, notes.headers?.[i])));
	if (msg.body.length > 0 || msg.framing !== 'none') {
		fields.push(f(`Body (${msg.body.length} bytes, framing: ${msg.framing})`, bodyPreview(msg.body), notes.body));
	}
	fields.push(f('Frames', m.frames.join(', ')));
	if (request) fields.push(f('In answer to', `${messageSummary(request)} (frame ${request.frame})`));
	const answer = a.messages.find((x) => x.answers === m.id);
	if (answer) fields.push(f('Answered by', `${messageSummary(answer)} (frame ${answer.frame})`));
	const type = getHeader(msg.headers, 'content-type');
	return {
		title: `${m.protocol === 'HTCPCP' ? 'Hyper Text Coffee Pot Control Protocol' : 'Hypertext Transfer Protocol'} ${msg.kind}${type ? `, ${type}` : ''}`,
		fields
	};
}

function tlsLayer(r: TlsRecordInfo, annotator: Annotator): DetailLayer {
	const fields: DetailField[] = [
		f('Content type', `${r.contentTypeName} (${r.contentType})`, annotator.tls?.(r)),
		f('Record version', r.recordVersion),
		f('Length', r.length - 5)
	];
	for (const h of r.handshakes) {
		const hs = f('Handshake type', `${h.name} (${h.type})`, annotator.tlsHandshake?.(h.type));
		hs.children = [];
		if (h.version) hs.children.push(f('Version', h.version));
		if (h.serverName) hs.children.push(f('Server name (SNI)', h.serverName, annotator.sni?.(h.serverName)));
		if (h.alpn) hs.children.push(f('ALPN', h.alpn.join(', ')));
		fields.push(hs);
	}
	if (r.alert) fields.push(f('Alert', `level ${r.alert.level}, description ${r.alert.description}`));
	if (r.encrypted) fields.push(f('Payload', `encrypted: ${r.why ?? 'the keys are not in the capture'}`, annotator.unreadable?.()));
	fields.push(f('Frames', r.frames.join(', ')));
	return { title: `Transport Layer Security: ${tlsSummary(r)}`, fields };
}

export function frameDetail(a: CaptureAnalysis, number: number, annotator: Annotator = {}): FrameDetail | undefined {
	const fr = a.frames[number - 1];
	if (!fr) return undefined;
	const layers: DetailLayer[] = [];
	layers.push({
		title: `Frame ${fr.number}: ${fr.length} bytes on wire, ${fr.capturedLength} bytes captured${fr.interfaceName ? ` on ${fr.interfaceName}` : ''}`,
		fields: [
			f('Arrival time', isoTime(fr)),
			f('Time since first frame', `${fr.time.toFixed(6)} s`),
			f('Link type', `${linkTypeName(fr.linkType)} (${fr.linkType})`),
			...fr.comments.map((c) => f('Comment', c))
		]
	});
	layers.push({ title: fr.link.name, fields: fr.link.fields.map(([l, v]) => f(l, v)) });
	if (fr.ip) {
		layers.push({
			title: `Internet Protocol Version ${fr.ip.version}, Src: ${fr.ip.source}, Dst: ${fr.ip.destination}`,
			fields: fr.ip.fields.map(([l, v]) => f(l, v))
		});
	}
	const t = fr.tcp;
	if (t) {
		const fields: DetailField[] = [
			f('Source port', t.sourcePort),
			f('Destination port', t.destinationPort),
			f('Stream index', t.stream),
			f('Sequence number (relative)', t.relativeSeq),
			f('Sequence number (raw)', t.seq),
			f('Acknowledgment number (relative)', t.flags & 0x10 ? t.relativeAck : '-'),
			f('Header length', `${t.headerLength} bytes`),
			f('Flags', `0x${t.flags.toString(16).padStart(3, '0')} [${flagNames(t.flags).join(', ')}]`, annotator.tcpFlags?.(t.flags)),
			f('Window', t.scaledWindow === t.window ? t.window : `${t.window} (scaled: ${t.scaledWindow})`),
			f('Segment length', t.payload.length)
		];
		if (t.options.mss !== undefined) fields.push(f('Option: Maximum segment size', t.options.mss));
		if (t.options.windowScale !== undefined) fields.push(f('Option: Window scale', `${t.options.windowScale} (multiply by ${2 ** t.options.windowScale})`));
		if (t.options.sackPermitted) fields.push(f('Option: SACK permitted', 'yes'));
		if (t.options.timestamp) fields.push(f('Option: Timestamps', `TSval ${t.options.timestamp[0]}, TSecr ${t.options.timestamp[1]}`));
		if (t.retransmission) fields.push(f('Analysis', 'retransmission: these bytes were already delivered, counted once'));
		else if (t.outOfOrder) fields.push(f('Analysis', 'out of order: arrived before bytes that precede it; held until the gap filled'));
		else if (t.overlap) fields.push(f('Analysis', 'overlap: part of this payload repeats bytes already delivered'));
		if (fr.partOfLater) {
			const later = [...a.messages, ...a.tlsRecords].find((x) => x.frames.includes(fr.number) && x.frame !== fr.number);
			if (later) fields.push(f('Reassembly', `part of a message completed in frame ${later.frame}`));
		}
		layers.push({
			title: `Transmission Control Protocol, Src Port: ${t.sourcePort}, Dst Port: ${t.destinationPort}, Seq: ${t.relativeSeq}, Len: ${t.payload.length}`,
			fields
		});
	}
	for (const id of fr.messages) layers.push(messageLayer(a, a.messages[id], annotator));
	for (const id of fr.tlsRecords) layers.push(tlsLayer(a.tlsRecords[id], annotator));
	if (fr.problems.length > 0) layers.push({ title: 'Problems', fields: fr.problems.map((p) => f('Problem', p)) });
	return { number: fr.number, summary: fr.summary, protocol: fr.protocol, layers };
}
