/**
 * TCP header flags and fields (RFC 9293 §3.1), the handshake (§3.5), closing
 * (§3.6), resets (§3.5.2), plus the options a capture shows: MSS (§3.7.1),
 * window scale and timestamps (RFC 7323), SACK (RFC 2018), ECN (RFC 3168).
 */

import { POT_PORT, WEBAPP_PORT } from '../constants';
import type { Annotation } from './types';
import { plural } from './values';

export interface TcpFlags {
	syn?: boolean;
	ack?: boolean;
	fin?: boolean;
	rst?: boolean;
	psh?: boolean;
	urg?: boolean;
	ece?: boolean;
	cwr?: boolean;
}

/** One annotation per flag that is set, the ones that change the connection's state first: SYN, FIN, RST, ACK, PSH, URG, ECE, CWR. */
export function annotateTcpFlags(flags: TcpFlags): Annotation[] {
	const out: Annotation[] = [];
	if (flags.syn) {
		out.push(
			flags.ack
				? {
						meaning: 'SYN+ACK: step 2 of the three-way handshake',
						explanation: 'The server accepts the connection: it acknowledges the client\'s SYN and sends its own initial sequence number. In the homepage capture frame 2 is the web app\'s SYN+ACK and frame 8 the pot\'s.',
						rfc: 'RFC 9293 §3.5'
					}
				: {
						meaning: 'SYN: step 1 of the three-way handshake, asking to open a connection',
						explanation: 'The client picks a random initial sequence number and proposes options (MSS, window scale, SACK, timestamps). A new TCP connection always starts with SYN, SYN+ACK, ACK; in the homepage capture every request needed one because the servers close the connection after each response.',
						rfc: 'RFC 9293 §3.5'
					}
		);
	}
	if (flags.fin) {
		out.push({
			meaning: 'FIN: the sender has no more data to send',
			explanation: 'Closing is done one direction at a time: FIN ends the sender\'s half, and the other side acknowledges it and may still send before its own FIN. In the homepage capture the servers send FIN first (frames 15 and 23) because they close each connection after one response.',
			rfc: 'RFC 9293 §3.6'
		});
	}
	if (flags.rst) {
		out.push({
			meaning: 'RST: abort the connection at once',
			explanation: 'A reset throws the connection away without the FIN exchange; unsent and unacknowledged data is lost. It is sent to a port where nothing listens (connection refused), or when a program closes a socket with data still unread.',
			rfc: 'RFC 9293 §3.5.2'
		});
	}
	if (flags.ack) {
		out.push({
			meaning: 'ACK: the acknowledgment number is valid',
			explanation: flags.syn
				? 'Set on every segment after the first SYN. Here it confirms the client\'s SYN: the acknowledgment number is the client\'s initial sequence number plus one.'
				: 'Every segment after the first SYN carries ACK. The acknowledgment number says "I have received everything before this byte"; a bare ACK with no data, such as the third handshake step, just confirms receipt.',
			rfc: 'RFC 9293 §3.4'
		});
	}
	if (flags.psh) {
		out.push({
			meaning: 'PSH: deliver this data to the application now',
			explanation: 'The sender asks the receiver not to wait for more data before handing it to the program. Stacks set it on the last segment of each write, so it usually marks the end of an HTTP or HTCPCP message (frames 5, 11, 13 in the homepage capture).',
			rfc: 'RFC 9293 §3.1'
		});
	}
	if (flags.urg) {
		out.push({
			meaning: 'URG: the urgent pointer field is significant',
			explanation: 'Marks data to be treated as urgent, up to the urgent pointer. It is a legacy feature that new applications should not use.',
			rfc: 'RFC 9293 §3.8.5'
		});
	}
	if (flags.ece) {
		out.push({
			meaning: flags.syn ? 'ECE on a SYN: the sender supports ECN' : 'ECE: a router signalled congestion',
			explanation: 'Explicit Congestion Notification lets routers mark packets instead of dropping them; the receiver echoes the mark back with ECE so the sender slows down.',
			rfc: 'RFC 3168 §6.1'
		});
	}
	if (flags.cwr) {
		out.push({
			meaning: 'CWR: the sender has reduced its sending rate',
			explanation: 'The answer to ECE: the sender confirms it has shrunk its congestion window.',
			rfc: 'RFC 3168 §6.1'
		});
	}
	return out;
}

export type TcpField =
	| 'seq'
	| 'ack'
	| 'window'
	| 'srcport'
	| 'dstport'
	| 'len'
	| 'mss'
	| 'wscale'
	| 'sackperm'
	| 'tsval'
	| 'tsecr'
	| 'checksum'
	| 'urgent'
	| 'hdrlen';

export interface TcpFieldOptions {
	/** True when seq/ack are relative to the initial sequence number, as Wireshark shows them. */
	relative?: boolean;
	/** Flags of the segment, to explain SYN and FIN sequence numbers. */
	flags?: TcpFlags;
	/** The window scale shift in force, to compute the real window size. */
	windowShift?: number;
}

function describePort(port: number): string {
	if (port === WEBAPP_PORT) return 'the lab\'s web app listens here';
	if (port === POT_PORT) return 'the lab\'s pot listens here';
	if (port === 443) return 'the well-known HTTPS port';
	if (port === 80) return 'the well-known HTTP port';
	if (port >= 49152) return 'an ephemeral port the operating system picked for the client side; each new connection gets a fresh one';
	if (port >= 32768) return 'probably an ephemeral port the client\'s operating system picked (Linux uses 32768-60999)';
	if (port >= 1024) return 'a registered (user) port';
	return 'a well-known system port';
}

/** What one TCP header field or option value means. */
export function annotateTcpField(name: TcpField, value: number, options: TcpFieldOptions = {}): Annotation {
	const rel = options.relative ? ' (relative: counted from this side\'s initial sequence number, as Wireshark shows it)' : '';
	switch (name) {
		case 'srcport':
		case 'dstport':
			return {
				meaning: `${name === 'srcport' ? 'source' : 'destination'} port ${value}: ${describePort(value)}`,
				explanation: 'Ports pick the program on each host. A connection is identified by both addresses and both ports, so the browser\'s connections to the web app (5031) and the web app\'s connections to the pot (5030) never mix. Ephemeral ports are described in RFC 6335 §6.',
				rfc: 'RFC 9293 §3.1'
			};
		case 'seq':
			return {
				meaning: options.flags?.syn
					? `initial sequence number ${value}${rel}`
					: `sequence number ${value}: the first byte of this segment is byte ${value} of the sender's stream${rel}`,
				explanation: 'TCP numbers every byte it sends. Each side starts from a random initial number chosen at the SYN; SYN and FIN each use up one number, which is why data starts at relative 1. The receiver uses the numbers to put segments in order and to spot gaps and duplicates.',
				rfc: 'RFC 9293 §3.4'
			};
		case 'ack':
			return {
				meaning: `acknowledgment number ${value}: everything before byte ${value} has arrived, send byte ${value} next${rel}`,
				explanation: 'Acknowledgments are cumulative: one number confirms all bytes before it. Comparing it with the other side\'s sequence numbers shows which segments were received; a sender retransmits what stays unacknowledged too long.',
				rfc: 'RFC 9293 §3.4'
			};
		case 'window': {
			const shift = options.windowShift ?? 0;
			const real = value * 2 ** shift;
			return {
				meaning: `receive window ${value}${shift ? ` × 2^${shift} = ${real} bytes` : ' bytes'}: how much more the sender of this segment can accept`,
				explanation: 'Flow control: a receiver advertises how many bytes it is ready to buffer, and the other side may not send beyond that. The field is only 16 bits, so the window scale option (RFC 7323) multiplies it on fast links; in a SYN the value is never scaled.',
				rfc: 'RFC 9293 §3.8.6'
			};
		}
		case 'len':
			return {
				meaning: value === 0 ? 'no payload: a pure control or acknowledgment segment' : `${plural(value, 'byte')} of payload`,
				explanation: 'The data carried by this segment. A long HTTP message is split over several segments and put back together by the receiver (Wireshark calls them "TCP segment of a reassembled PDU").',
				rfc: 'RFC 9293 §3.4'
			};
		case 'mss':
			return {
				meaning: `maximum segment size ${value}: the largest payload the sender of this SYN wants to receive in one segment`,
				explanation: 'Sent only in SYN segments. It is usually the link\'s MTU minus 40 bytes of IP and TCP headers: 1460 on Ethernet, 16344 on the macOS loopback of the homepage capture (MTU 16384).',
				rfc: 'RFC 9293 §3.7.1'
			};
		case 'wscale':
			return {
				meaning: `window scale ${value}: later window values from this side are multiplied by 2^${value} = ${2 ** value}`,
				explanation: 'Negotiated in the SYN and SYN+ACK; both sides must offer it for it to apply. It lets windows exceed 64 KiB.',
				rfc: 'RFC 7323 §2'
			};
		case 'sackperm':
			return {
				meaning: 'SACK permitted: this side understands selective acknowledgments',
				explanation: 'With SACK a receiver can report which blocks after a gap it already holds, so the sender retransmits only what is missing.',
				rfc: 'RFC 2018 §2'
			};
		case 'tsval':
			return {
				meaning: `timestamp value ${value}: the sender's clock tick when this segment left`,
				explanation: 'Timestamps let each side measure round-trip time and reject very old duplicate segments. The number is a private counter, not a wall-clock time.',
				rfc: 'RFC 7323 §3'
			};
		case 'tsecr':
			return {
				meaning: `timestamp echo ${value}: the latest timestamp received from the other side`,
				explanation: 'Echoing the peer\'s timestamp lets the peer compute the round-trip time when this segment arrives. It is 0 in a first SYN, which has nothing to echo.',
				rfc: 'RFC 7323 §3'
			};
		case 'checksum':
			return {
				meaning: `checksum 0x${value.toString(16).padStart(4, '0')}: detects corrupted segments`,
				explanation: 'Covers the header, the data and a pseudo-header of IP addresses. On loopback captures the operating system often skips filling it in, so Wireshark may flag it as unverified.',
				rfc: 'RFC 9293 §3.1'
			};
		case 'urgent':
			return {
				meaning: `urgent pointer ${value}`,
				explanation: 'Meaningful only with the URG flag, a legacy feature.',
				rfc: 'RFC 9293 §3.8.5'
			};
		case 'hdrlen':
			return {
				meaning: `header length ${value} bytes (data offset ${value / 4} words)`,
				explanation: 'The fixed TCP header is 20 bytes; options such as MSS and timestamps make it longer. The data offset field counts in 32-bit words.',
				rfc: 'RFC 9293 §3.1'
			};
	}
}
