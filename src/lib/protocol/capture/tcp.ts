/**
 * TCP headers (RFC 9293 section 3.1): decoding ports, sequence and
 * acknowledgement numbers, flags, window and options; building segments (with
 * a correct checksum over the pseudo-header) for the writer.
 */

import { fold16, sum16 } from './ip';

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;
export const URG = 0x20;
export const ECE = 0x40;
export const CWR = 0x80;

/** Flag names in the order Wireshark lists them. */
const FLAG_NAMES: Array<[number, string]> = [
	[FIN, 'FIN'],
	[SYN, 'SYN'],
	[RST, 'RST'],
	[PSH, 'PSH'],
	[ACK, 'ACK'],
	[URG, 'URG'],
	[ECE, 'ECE'],
	[CWR, 'CWR']
];

export function flagNames(flags: number): string[] {
	return FLAG_NAMES.filter(([bit]) => flags & bit).map(([, name]) => name);
}

/** `[SYN, ACK]` style, as in Wireshark's Info column. */
export function flagsSummary(flags: number): string {
	return `[${flagNames(flags).join(', ')}]`;
}

export interface TcpOptions {
	mss?: number;
	windowScale?: number;
	sackPermitted?: boolean;
	timestamp?: [number, number];
}

export interface TcpSegment {
	sourcePort: number;
	destinationPort: number;
	seq: number;
	ack: number;
	headerLength: number;
	flags: number;
	window: number;
	checksum: number;
	urgent: number;
	options: TcpOptions;
	payload: Uint8Array;
	problem?: string;
}

export function decodeTcp(b: Uint8Array): TcpSegment {
	const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
	const empty = new Uint8Array(0);
	if (b.length < 20) {
		return {
			sourcePort: b.length >= 2 ? view.getUint16(0, false) : 0,
			destinationPort: b.length >= 4 ? view.getUint16(2, false) : 0,
			seq: 0, ack: 0, headerLength: 0, flags: 0, window: 0, checksum: 0, urgent: 0, options: {}, payload: empty,
			problem: `TCP header needs 20 bytes, ${b.length} were captured`
		};
	}
	const headerLength = (b[12] >> 4) * 4;
	const segment: TcpSegment = {
		sourcePort: view.getUint16(0, false),
		destinationPort: view.getUint16(2, false),
		seq: view.getUint32(4, false),
		ack: view.getUint32(8, false),
		headerLength,
		flags: b[13],
		window: view.getUint16(14, false),
		checksum: view.getUint16(16, false),
		urgent: view.getUint16(18, false),
		options: {},
		payload: empty
	};
	if (headerLength < 20 || headerLength > b.length) {
		segment.problem = `TCP data offset says ${headerLength} header bytes, ${b.length} were captured`;
		return segment;
	}
	segment.payload = b.subarray(headerLength);
	// Options (RFC 9293 section 3.2): kind, length, data; 0 ends, 1 pads.
	let at = 20;
	while (at < headerLength) {
		const kind = b[at];
		if (kind === 0) break;
		if (kind === 1) {
			at++;
			continue;
		}
		const len = b[at + 1];
		if (at + 1 >= headerLength || len < 2 || at + len > headerLength) break;
		if (kind === 2 && len === 4) segment.options.mss = view.getUint16(at + 2, false);
		else if (kind === 3 && len === 3) segment.options.windowScale = b[at + 2];
		else if (kind === 4) segment.options.sackPermitted = true;
		else if (kind === 8 && len === 10) segment.options.timestamp = [view.getUint32(at + 2, false), view.getUint32(at + 6, false)];
		at += len;
	}
	return segment;
}

export interface TcpSpec {
	sourcePort: number;
	destinationPort: number;
	seq: number;
	ack: number;
	flags: number;
	window: number;
	mss?: number;
	payload: Uint8Array;
}

/** Bytes of the TCP header `writeTcp` writes for `spec`. */
export function tcpHeaderLength(spec: Pick<TcpSpec, 'mss'>): number {
	return spec.mss !== undefined ? 24 : 20;
}

/**
 * Writes a TCP segment (header, then payload) into `out` at `at`, with its
 * checksum over the IPv4 or IPv6 pseudo-header (RFC 9293 section 3.1).
 * `out` must be zero where the header goes. Returns the segment's length.
 */
export function writeTcp(out: Uint8Array, at: number, spec: TcpSpec, source: Uint8Array, destination: Uint8Array): number {
	const headerLength = tcpHeaderLength(spec);
	const length = headerLength + spec.payload.length;
	put16(out, at, spec.sourcePort);
	put16(out, at + 2, spec.destinationPort);
	put32(out, at + 4, spec.seq);
	put32(out, at + 8, spec.ack);
	out[at + 12] = (headerLength / 4) << 4;
	out[at + 13] = spec.flags;
	put16(out, at + 14, spec.window);
	if (spec.mss !== undefined) {
		out[at + 20] = 2;
		out[at + 21] = 4;
		put16(out, at + 22, spec.mss);
	}
	out.set(spec.payload, at + headerLength);
	let pseudo = sum16(source) + sum16(destination) + 6 + length;
	if (source.length === 16) pseudo = sum16(source) + sum16(destination) + Math.floor(length / 0x10000) + (length & 0xffff) + 6;
	put16(out, at + 16, fold16(sum16(out, pseudo, at, at + length)));
	return length;
}

function put16(b: Uint8Array, at: number, v: number): void {
	b[at] = (v >>> 8) & 0xff;
	b[at + 1] = v & 0xff;
}

function put32(b: Uint8Array, at: number, v: number): void {
	b[at] = (v >>> 24) & 0xff;
	b[at + 1] = (v >>> 16) & 0xff;
	b[at + 2] = (v >>> 8) & 0xff;
	b[at + 3] = v & 0xff;
}
