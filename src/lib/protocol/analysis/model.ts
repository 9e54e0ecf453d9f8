/**
 * The analysis model: frames as a capture list shows them, the messages and
 * TLS records reassembled from them, and the connections they belong to.
 * Capture files and live TrafficEvents both end up here.
 */

import type { HttpMessage } from '../message';
import type { LinkLayer } from '../capture/link';
import type { IpLayer } from '../capture/ip';
import type { TcpSegment } from '../capture/tcp';

export type AppProtocol = 'HTTP' | 'HTCPCP';
export type FrameProtocol = 'TCP' | 'HTTP' | 'HTCPCP' | 'TLS' | 'IPv4' | 'IPv6' | string;

/** 0: from the connection's client (the side that sent SYN); 1: from its server. */
export type Direction = 0 | 1;

export interface TcpInfo extends TcpSegment {
	/** Sequence and acknowledgement numbers relative to each side's first (RFC 9293 section 3.4). */
	relativeSeq: number;
	relativeAck: number;
	/** Window after scaling, when both SYNs carried a window scale option. */
	scaledWindow: number;
	/** Index of the connection (Wireshark's tcp.stream). */
	stream: number;
	direction: Direction;
	/** Payload bytes already delivered before (counted once). */
	retransmission: boolean;
	/** Arrived ahead of a gap; delivered once the gap filled. */
	outOfOrder: boolean;
	/** Part of the payload repeated bytes already seen. */
	overlap: boolean;
}

export interface AnalyzedMessage {
	/** Index in the analysis' message list. */
	id: number;
	stream: number;
	direction: Direction;
	protocol: AppProtocol;
	message: HttpMessage;
	/** Frames that carried the message's bytes, in order. */
	frames: number[];
	/** The frame holding its last byte: where the list shows it. */
	frame: number;
	/** For a response: the id of the request it answers. */
	answers?: number;
}

export interface TlsHandshakeInfo {
	type: number;
	name: string;
	/** ClientHello: the server_name extension (RFC 6066 section 3). */
	serverName?: string;
	alpn?: string[];
	/** Highest version offered (ClientHello) or chosen (ServerHello), e.g. "TLS 1.3". */
	version?: string;
}

export interface TlsRecordInfo {
	id: number;
	stream: number;
	direction: Direction;
	/** Stream offset and length of the whole record (5-byte header included). */
	offset: number;
	length: number;
	contentType: number;
	contentTypeName: string;
	/** Legacy record version field, e.g. "TLS 1.2". */
	recordVersion: string;
	/** Handshake messages readable in this record; empty when encrypted. */
	handshakes: TlsHandshakeInfo[];
	/** True when the content is encrypted (application data, or handshake after keys changed). */
	encrypted: boolean;
	/** Plain words on why the content cannot be read, when encrypted. */
	why?: string;
	alert?: { level: number; description: number };
	frames: number[];
	frame: number;
}

export interface FrameInfo {
	number: number;
	seconds: number;
	nanos: number;
	/** Seconds since the first frame. */
	time: number;
	/** Length on the wire and bytes captured. */
	length: number;
	capturedLength: number;
	interfaceName?: string;
	linkType: number;
	link: LinkLayer;
	ip?: IpLayer;
	tcp?: TcpInfo;
	source: string;
	destination: string;
	sourcePort?: number;
	destinationPort?: number;
	protocol: FrameProtocol;
	summary: string;
	/** Ids of messages and TLS records that this frame completes. */
	messages: number[];
	tlsRecords: number[];
	/** True when the payload belongs to a message that completes on a later frame. */
	partOfLater: boolean;
	/** Problems found in this frame (bad header, unparseable payload...). */
	problems: string[];
	comments: string[];
	/** Raw bytes of the frame. */
	data: Uint8Array;
}

export interface ConnectionInfo {
	stream: number;
	client: { address: string; port: number };
	server: { address: string; port: number };
	/** True when the capture saw the SYN. */
	sawHandshake: boolean;
	/** What the payload turned out to be, per direction. */
	kinds: [string, string];
	frames: number[];
	label?: string;
}

export interface CaptureAnalysis {
	frames: FrameInfo[];
	messages: AnalyzedMessage[];
	tlsRecords: TlsRecordInfo[];
	connections: ConnectionInfo[];
}
