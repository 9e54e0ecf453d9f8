/**
 * The analysis engine: packets in (from a capture file or from the live
 * tap's synthetic TCP), frames, reassembled messages and TLS records out.
 * It works one packet at a time, so the live analyzer can use it as it goes.
 */

import { decodeIp, IPPROTO_TCP } from '../capture/ip';
import { decodeLink } from '../capture/link';
import { ACK, decodeTcp, FIN, RST, SYN } from '../capture/tcp';
import { BODY_IDLE_MS } from '../limits';
import { findCoffeeScheme } from '../uri';
import type { HttpMessage } from '../message';
import { startKind, StreamDecoder, type DecodedUnit } from './detect';
import { DirectionReassembler } from './reassembly';
import { TLS_CONTENT_TYPES, tlsVersionName } from './tls';
import type {
	AnalyzedMessage,
	AppProtocol,
	CaptureAnalysis,
	ConnectionInfo,
	Direction,
	FrameInfo,
	TlsRecordInfo
} from './model';

export interface PacketInput {
	number: number;
	seconds: number;
	nanos: number;
	length: number;
	capturedLength: number;
	linkType: number;
	interfaceName?: string;
	data: Uint8Array;
	comments: string[];
}

/** What one packet (or the end) produced: the frame and anything it completed. */
export interface FrameUpdate {
	frame?: FrameInfo;
	messages: AnalyzedMessage[];
	tlsRecords: TlsRecordInfo[];
}

interface PendingRequest {
	id: number;
	method: string;
	protocol: AppProtocol;
}

interface Conn {
	info: ConnectionInfo;
	rx: [DirectionReassembler, DirectionReassembler];
	dec: [StreamDecoder, StreamDecoder];
	lastData: [number, number];
	finished: [boolean, boolean];
	windowScale: [number | undefined, number | undefined];
	requests: PendingRequest[];
	closed: boolean;
}

const COMMAND_ONLY_METHODS = new Set(['BREW', 'WHEN']);

/** HTCPCP by version, by a method only HTCPCP has, or by a coffee scheme in the target (RFC 2324 sections 2.1, 3). */
export function isHtcpcpRequest(m: HttpMessage): boolean {
	if (m.protocol === 'HTCPCP') return true;
	if (COMMAND_ONLY_METHODS.has(m.method ?? '')) return true;
	const target = m.target ?? '';
	const colon = target.indexOf(':');
	if (colon <= 0 || target.startsWith('/')) return false;
	return findCoffeeScheme(target.slice(0, colon)) !== undefined;
}

export class CaptureAnalyzer {
	readonly frames: FrameInfo[] = [];
	readonly messages: AnalyzedMessage[] = [];
	readonly tlsRecords: TlsRecordInfo[] = [];
	readonly connections: ConnectionInfo[] = [];
	private conns = new Map<string, Conn>();
	private first: [number, number] | null = null;
	/** The last packet's endpoints and connection: consecutive packets are usually on the same one. */
	private lastKey: { source: string; sourcePort: number; destination: string; destinationPort: number; key: string } | null = null;
	/** Lowest frame number, message id and TLS record id still held (see `dropBefore`). */
	private firstFrame = 1;
	private firstMessage = 0;
	private firstRecord = 0;
	private firstConnection = 0;

	addPacket(p: PacketInput): FrameUpdate {
		if (this.first === null) this.first = [p.seconds, p.nanos];
		const link = decodeLink(p.linkType, p.data);
		const frame: FrameInfo = {
			number: p.number,
			seconds: p.seconds,
			nanos: p.nanos,
			time: p.seconds - this.first[0] + (p.nanos - this.first[1]) / 1e9,
			length: p.length,
			capturedLength: p.capturedLength,
			interfaceName: p.interfaceName,
			linkType: p.linkType,
			link,
			source: '',
			destination: '',
			protocol: link.name,
			summary: '',
			messages: [],
			tlsRecords: [],
			partOfLater: false,
			problems: [],
			comments: p.comments,
			data: p.data
		};
		this.frames.push(frame);
		const update: FrameUpdate = { frame, messages: [], tlsRecords: [] };
		if (link.problem || link.ipVersion === 0) {
			frame.problems.push(link.problem ?? 'not an IP packet');
			return update;
		}
		const ip = decodeIp(link.ipVersion, p.data.subarray(link.headerLength));
		frame.ip = ip;
		frame.protocol = ip.version === 4 ? 'IPv4' : 'IPv6';
		frame.source = ip.source;
		frame.destination = ip.destination;
		if (ip.problem) {
			frame.problems.push(ip.problem);
			return update;
		}
		if (ip.protocol !== IPPROTO_TCP) {
			frame.problems.push(`IP protocol ${ip.protocol} is not TCP`);
			return update;
		}
		if (ip.fragment) {
			frame.problems.push('an IP fragment: fragments are not reassembled');
			return update;
		}
		const seg = decodeTcp(ip.payload);
		frame.sourcePort = seg.sourcePort;
		frame.destinationPort = seg.destinationPort;
		frame.protocol = 'TCP';
		if (seg.problem) {
			frame.problems.push(seg.problem);
			return update;
		}
		this.tcp(frame, seg, p, update);
		return update;
	}

	/** The map key of the frame's four-tuple, the same for both directions. */
	private keyFor(frame: FrameInfo): string {
		const last = this.lastKey;
		if (
			last !== null &&
			((last.source === frame.source && last.sourcePort === frame.sourcePort && last.destination === frame.destination && last.destinationPort === frame.destinationPort) ||
				(last.source === frame.destination && last.sourcePort === frame.destinationPort && last.destination === frame.source && last.destinationPort === frame.sourcePort))
		) {
			return last.key;
		}
		const a = `${frame.source}|${frame.sourcePort}`;
		const b = `${frame.destination}|${frame.destinationPort}`;
		const key = a < b ? `${a}|${b}` : `${b}|${a}`;
		this.lastKey = { source: frame.source, sourcePort: frame.sourcePort as number, destination: frame.destination, destinationPort: frame.destinationPort as number, key };
		return key;
	}

	private connFor(frame: FrameInfo, flags: number, payload: Uint8Array): { conn: Conn; dir: Direction } {
		const key = this.keyFor(frame);
		let conn = this.conns.get(key);
		const freshSyn = (flags & (SYN | ACK)) === SYN;
		if (conn && freshSyn && (conn.closed || conn.rx[0].finOffset !== null || conn.rx[1].finOffset !== null)) {
			conn = undefined; // port reuse: a new connection on the same four-tuple
		}
		if (!conn) {
			let sourceIsClient = true;
			if ((flags & (SYN | ACK)) === (SYN | ACK)) sourceIsClient = false;
			else if (!(flags & SYN)) {
				const kind = startKind(payload);
				if (kind === 'response') sourceIsClient = false;
				else if (kind === null) sourceIsClient = (frame.sourcePort ?? 0) > (frame.destinationPort ?? 0);
			}
			const src = { address: frame.source, port: frame.sourcePort as number };
			const dst = { address: frame.destination, port: frame.destinationPort as number };
			const info: ConnectionInfo = {
				stream: this.connections.length,
				client: sourceIsClient ? src : dst,
				server: sourceIsClient ? dst : src,
				sawHandshake: (flags & SYN) !== 0,
				kinds: ['pending', 'pending'],
				frames: []
			};
			this.connections.push(info);
			const c: Conn = {
				info,
				rx: [new DirectionReassembler(), new DirectionReassembler()],
				dec: [new StreamDecoder(), new StreamDecoder()],
				lastData: [-Infinity, -Infinity],
				finished: [false, false],
				windowScale: [undefined, undefined],
				requests: [],
				closed: false
			};
			const headOf = () => c.requests[0]?.method === 'HEAD';
			const tls13 = (d: Direction) => () => c.dec[d === 0 ? 1 : 0].tls?.markEncrypted();
			c.dec = [new StreamDecoder({ isResponseToHead: headOf }, tls13(0)), new StreamDecoder({ isResponseToHead: headOf }, tls13(1))];
			conn = c;
			this.conns.set(key, conn);
		}
		const dir: Direction =
			conn.info.client.address === frame.source && conn.info.client.port === frame.sourcePort ? 0 : 1;
		return { conn, dir };
	}

	private tcp(frame: FrameInfo, seg: ReturnType<typeof decodeTcp>, p: PacketInput, update: FrameUpdate): void {
		const { conn, dir } = this.connFor(frame, seg.flags, seg.payload);
		const other: Direction = dir === 0 ? 1 : 0;
		const rx = conn.rx[dir];
		conn.info.frames.push(frame.number);
		if (seg.flags & SYN) {
			rx.syn(seg.seq);
			conn.windowScale[dir] = seg.options.windowScale;
		}
		const dataSeq = seg.flags & SYN ? (seg.seq + 1) >>> 0 : seg.seq;
		const result = rx.segment(dataSeq, seg.payload, frame.number, (seg.flags & FIN) !== 0);
		const scale = conn.windowScale[0] !== undefined && conn.windowScale[1] !== undefined && !(seg.flags & SYN);
		frame.tcp = {
			sourcePort: seg.sourcePort,
			destinationPort: seg.destinationPort,
			seq: seg.seq,
			ack: seg.ack,
			headerLength: seg.headerLength,
			flags: seg.flags,
			window: seg.window,
			checksum: seg.checksum,
			urgent: seg.urgent,
			options: seg.options,
			payload: seg.payload,
			relativeSeq: rx.relative(seg.seq),
			relativeAck: seg.flags & ACK ? conn.rx[other].relative(seg.ack) : 0,
			scaledWindow: scale ? seg.window * 2 ** (conn.windowScale[dir] as number) : seg.window,
			stream: conn.info.stream,
			direction: dir,
			retransmission: result.retransmission,
			outOfOrder: result.outOfOrder,
			overlap: result.overlap
		};
		const time = p.seconds + p.nanos / 1e9;
		for (const d of result.delivered) {
			const dec = conn.dec[dir];
			if (dec.awaitingIdleBody && (time - conn.lastData[dir]) * 1000 > BODY_IDLE_MS) {
				this.collect(conn, dir, dec.endIdle(), update);
			}
			this.collect(conn, other, conn.dec[other].endIdle(), update);
			this.collect(conn, dir, dec.push(d.offset, d.bytes), update);
			conn.lastData[dir] = time;
		}
		if (rx.finished && !conn.finished[dir]) {
			conn.finished[dir] = true;
			this.collect(conn, dir, conn.dec[dir].finish(), update);
		}
		if (seg.flags & RST) {
			conn.closed = true;
			for (const d of [0, 1] as Direction[]) {
				if (!conn.finished[d]) {
					conn.finished[d] = true;
					this.collect(conn, d, conn.dec[d].finish(true), update);
				}
			}
		}
		if (conn.finished[0] && conn.finished[1]) conn.closed = true;
		this.noteProblems(conn, dir);
	}

	/** Ends every stream (the capture is over): completes close-delimited bodies. */
	finish(): FrameUpdate {
		const update: FrameUpdate = { messages: [], tlsRecords: [] };
		for (const conn of new Set(this.conns.values())) {
			for (const d of [0, 1] as Direction[]) {
				if (conn.finished[d]) continue;
				conn.rx[d].skipGap();
				this.collect(conn, d, conn.dec[d].finish(true), update);
				this.noteProblems(conn, d);
			}
		}
		return update;
	}

	/**
	 * Forgets frames numbered below `number`, the messages and TLS records
	 * shown on them, and closed connections whose frames are all gone, so a
	 * long live session stays bounded. The lists keep their numbering (frame n
	 * stays at index n - 1, message id at index id): forgotten entries become
	 * empty slots. The connection sweep walks every connection, so a caller
	 * dropping often can ask for it only now and then (`sweep` false skips it).
	 */
	dropBefore(number: number, sweep = true): void {
		const frames = this.frames;
		const to = Math.min(number, frames.length + 1);
		for (let n = this.firstFrame; n < to; n++) delete frames[n - 1];
		if (to > this.firstFrame) this.firstFrame = to;
		const messages = this.messages;
		while (this.firstMessage < messages.length && messages[this.firstMessage].frame < to) delete messages[this.firstMessage++];
		const records = this.tlsRecords;
		while (this.firstRecord < records.length && records[this.firstRecord].frame < to) delete records[this.firstRecord++];
		if (!sweep) return;
		for (const [key, conn] of this.conns) {
			const list = conn.info.frames;
			let k = 0;
			while (k < list.length && list[k] < to) k++;
			if (k > 0) list.splice(0, k);
			if (conn.closed && list.length === 0) this.conns.delete(key);
		}
		const open = new Set<ConnectionInfo>();
		for (const c of this.conns.values()) open.add(c.info);
		const connections = this.connections;
		for (let i = this.firstConnection; i < connections.length; i++) {
			const c = connections[i];
			if (c !== undefined && c.frames.length === 0 && !open.has(c)) delete connections[i];
		}
		while (this.firstConnection < connections.length && connections[this.firstConnection] === undefined) this.firstConnection++;
		if (this.lastKey !== null && !this.conns.has(this.lastKey.key)) this.lastKey = null;
	}

	result(): CaptureAnalysis {
		return { frames: this.frames, messages: this.messages, tlsRecords: this.tlsRecords, connections: this.connections };
	}

	private problemCount = new WeakMap<StreamDecoder, number>();

	private noteProblems(conn: Conn, dir: Direction): void {
		const dec = conn.dec[dir];
		conn.info.kinds[dir] = dec.kind === 'http' ? (dec.mode ?? 'http') : dec.kind;
		const seen = this.problemCount.get(dec) ?? 0;
		if (dec.problems.length === seen) return;
		for (const problem of dec.problems.slice(seen)) {
			const frames = conn.rx[dir].map.framesFor(problem.offset, problem.offset + 1);
			const number = frames[0] ?? conn.info.frames[conn.info.frames.length - 1];
			this.frames[number - 1]?.problems.push(problem.message);
		}
		this.problemCount.set(dec, dec.problems.length);
	}

	private collect(conn: Conn, dir: Direction, units: DecodedUnit[], update: FrameUpdate): void {
		for (const unit of units) {
			const [offset, length] = unit.kind === 'message' ? [unit.message.offset, unit.message.length] : [unit.record.offset, unit.record.length];
			const frames = conn.rx[dir].map.framesFor(offset, offset + Math.max(length, 1));
			const last = frames[frames.length - 1] ?? this.frames.length;
			for (let i = 0; i < frames.length - 1; i++) {
				const f = this.frames[frames[i] - 1];
				if (f !== undefined) f.partOfLater = true;
			}
			conn.rx[dir].map.forget(offset);
			if (unit.kind === 'message') {
				const m = unit.message;
				let protocol: AppProtocol = 'HTTP';
				let answers: number | undefined;
				if (m.kind === 'request') {
					protocol = isHtcpcpRequest(m) ? 'HTCPCP' : 'HTTP';
				} else {
					const req = conn.requests[0];
					protocol = m.protocol === 'HTCPCP' || req?.protocol === 'HTCPCP' ? 'HTCPCP' : 'HTTP';
					if (req && !(m.status !== undefined && m.status >= 100 && m.status < 200 && m.status !== 101)) {
						conn.requests.shift();
						answers = req.id;
					}
				}
				const analyzed: AnalyzedMessage = {
					id: this.messages.length,
					stream: conn.info.stream,
					direction: dir,
					protocol,
					message: m,
					frames,
					frame: last,
					answers
				};
				if (m.kind === 'request') conn.requests.push({ id: analyzed.id, method: m.method ?? '', protocol });
				this.messages.push(analyzed);
				this.frames[last - 1]?.messages.push(analyzed.id);
				update.messages.push(analyzed);
			} else {
				const r = unit.record;
				const info: TlsRecordInfo = {
					id: this.tlsRecords.length,
					stream: conn.info.stream,
					direction: dir,
					offset: r.offset,
					length: r.length,
					contentType: r.contentType,
					contentTypeName: TLS_CONTENT_TYPES[r.contentType] ?? `type ${r.contentType}`,
					recordVersion: tlsVersionName(r.version),
					handshakes: r.handshakes,
					encrypted: r.encrypted,
					why: r.why,
					alert: r.alert,
					frames,
					frame: last
				};
				this.tlsRecords.push(info);
				this.frames[last - 1]?.tlsRecords.push(info.id);
				update.tlsRecords.push(info);
			}
		}
	}
}
