/**
 * Turns the relay's TrafficEvents into a synthetic but faithful TCP exchange
 * on loopback (RFC 9293): a three-way handshake per connection (section
 * 3.5), data in segments no larger than the MSS with correct sequence and
 * acknowledgement numbers (section 3.4), an ACK from the receiver after every
 * second segment and at the end of each write (delayed ACKs, RFC 9293 section
 * 3.8.6.3 / RFC 1122 4.2.3.2), and FIN or RST to close (sections 3.6, 3.5.2).
 *
 * Frames are BSD loopback (what macOS writes for lo0, as in the course's
 * captures) carrying IPv4 or IPv6, with real addresses, ports and timestamps.
 */

import type { Side, TrafficEvent } from '../analysis/events';
import { allocate } from '../bytes';
import { ipHeaderLength, IPPROTO_TCP, parseAddress, writeIpHeader } from './ip';
import { ACK, FIN, PSH, RST, SYN, tcpHeaderLength, writeTcp, type TcpSpec } from './tcp';

const NO_PAYLOAD = new Uint8Array(0);

export interface SynthPacket {
	timeUs: number;
	/** The whole link-layer frame (loopback header + IP + TCP). */
	frame: Uint8Array;
	comment?: string;
}

export interface SynthOptions {
	/** Largest payload per segment. 1460 (Ethernet MTU 1500 minus 40) by default. */
	mss?: number;
	/** Initial sequence numbers; by default derived from the connection id, so output is reproducible. */
	isn?: (conn: number, side: Side) => number;
}

const WINDOW = 65535;
const LOOPBACK_V4 = Uint8Array.from([127, 0, 0, 1]);

interface SynthConn {
	addr: [Uint8Array, Uint8Array];
	port: [number, number];
	/** Next sequence number each side will send. */
	next: [number, number];
	ended: [boolean, boolean];
	reset: boolean;
}

function toV6(a: Uint8Array): Uint8Array {
	if (a.length === 16) return a;
	const out = new Uint8Array(16);
	out[10] = 0xff;
	out[11] = 0xff;
	out.set(a, 12);
	return out;
}

function defaultIsn(conn: number, side: Side): number {
	const x = Math.imul(conn + 1, 0x9e3779b1) ^ (side === 'client' ? 0x1234567 : 0x7654321);
	return x >>> 0;
}

export class TcpSynthesizer {
	private conns = new Map<number, SynthConn>();
	private ipId = 1;
	readonly mss: number;
	private readonly isn: (conn: number, side: Side) => number;

	constructor(options: SynthOptions = {}) {
		this.mss = Math.max(1, Math.min(65495, options.mss ?? 1460));
		this.isn = options.isn ?? defaultIsn;
	}

	/** The frames an event stands for (none for events on unknown connections). */
	push(event: TrafficEvent): SynthPacket[] {
		const out: SynthPacket[] = [];
		const t = event.timeUs;
		if (event.type === 'open') {
			let ca = parseAddress(event.client.address) ?? LOOPBACK_V4;
			let sa = parseAddress(event.server.address) ?? LOOPBACK_V4;
			if (ca.length !== sa.length) {
				ca = toV6(ca);
				sa = toV6(sa);
			}
			const c: SynthConn = {
				addr: [ca, sa],
				port: [event.client.port, event.server.port],
				next: [this.isn(event.conn, 'client') >>> 0, this.isn(event.conn, 'server') >>> 0],
				ended: [false, false],
				reset: false
			};
			this.conns.set(event.conn, c);
			const label = event.label ? `connection ${event.conn}: ${event.label}` : `connection ${event.conn}`;
			out.push(this.segment(c, 0, SYN, t, NO_PAYLOAD, label, true));
			c.next[0] = (c.next[0] + 1) >>> 0;
			out.push(this.segment(c, 1, SYN | ACK, t, NO_PAYLOAD, undefined, true));
			c.next[1] = (c.next[1] + 1) >>> 0;
			out.push(this.segment(c, 0, ACK, t));
			return out;
		}
		const c = this.conns.get(event.conn);
		if (!c) return out;
		if (event.type === 'close') {
			for (const d of [0, 1] as const) if (!c.ended[d] && !c.reset) this.fin(c, d, t, out);
			this.conns.delete(event.conn);
			return out;
		}
		if (c.reset) return out;
		const d = event.from === 'client' ? 0 : 1;
		if (event.type === 'data') {
			if (c.ended[d] || event.bytes.length === 0) return out;
			const n = event.bytes.length;
			let count = 0;
			for (let at = 0; at < n; at += this.mss) {
				const chunk = event.bytes.subarray(at, Math.min(n, at + this.mss));
				const last = at + this.mss >= n;
				out.push(this.segment(c, d, last ? PSH | ACK : ACK, t, chunk));
				c.next[d] = (c.next[d] + chunk.length) >>> 0;
				count++;
				if (count % 2 === 0 && !last) out.push(this.segment(c, d === 0 ? 1 : 0, ACK, t));
			}
			out.push(this.segment(c, d === 0 ? 1 : 0, ACK, t));
		} else if (event.type === 'end') {
			if (!c.ended[d]) this.fin(c, d, t, out);
		} else if (event.type === 'reset') {
			out.push(this.segment(c, d, RST | ACK, t));
			c.reset = true;
		}
		return out;
	}

	private fin(c: SynthConn, d: 0 | 1, t: number, out: SynthPacket[]): void {
		out.push(this.segment(c, d, FIN | ACK, t));
		c.next[d] = (c.next[d] + 1) >>> 0;
		c.ended[d] = true;
		out.push(this.segment(c, d === 0 ? 1 : 0, ACK, t));
	}

	private segment(c: SynthConn, d: 0 | 1, flags: number, timeUs: number, payload: Uint8Array = NO_PAYLOAD, comment?: string, mss = false): SynthPacket {
		const o = d === 0 ? 1 : 0;
		const spec: TcpSpec = {
			sourcePort: c.port[d],
			destinationPort: c.port[o],
			seq: c.next[d],
			ack: flags & ACK ? c.next[o] : 0,
			flags,
			window: WINDOW,
			mss: mss ? this.mss : undefined,
			payload
		};
		// One piece of memory per frame: loopback header, IP header, TCP segment.
		const ipAt = 4;
		const tcpAt = ipAt + ipHeaderLength(c.addr[d]);
		const tcpLength = tcpHeaderLength(spec) + payload.length;
		const frame = allocate(tcpAt + tcpLength);
		// BSD loopback header: the address family in the writer's (little-endian) byte order.
		frame[0] = c.addr[d].length === 4 ? 2 : 30;
		writeIpHeader(frame, ipAt, c.addr[d], c.addr[o], IPPROTO_TCP, tcpLength, this.ipId++ & 0xffff);
		writeTcp(frame, tcpAt, spec, c.addr[d], c.addr[o]);
		return { timeUs, frame, comment };
	}
}
