/**
 * What the lab engine knows about the student's session, as plain data:
 * the tapped connections and the messages the wire analysis parsed on them
 * (the relay's `message` output, never re-parsed here), program starts and
 * exits, the tail of each terminal, "check my pot" runs and the questions
 * answered. Traffic queries (queries.ts) and step checks (checks.ts) are pure
 * functions over a snapshot, so the relay can evaluate them live and a
 * checkoff verifier can evaluate the same declarations over a snapshot
 * rebuilt from a recording (see `snapshotFromAnalysis`).
 */

import type { CaptureAnalysis } from '../protocol/analysis/model';
import { versionString } from '../protocol/index';
import { MAX_BODY_SHOWN, type ServerMessage, type TerminalId, type TerminalState } from '../relay-protocol/index';

const bodyDecoder = new TextDecoder();
import type { Hop } from './schema';

export interface LabEndpoint {
	address: string;
	port: number;
}

export interface LabConnection {
	conn: number;
	/** null: a connection that is neither of the lab's two hops. */
	hop: Hop | null;
	client: LabEndpoint;
	server: LabEndpoint;
	timeUs: number;
}

export interface LabHttp {
	kind: 'request' | 'response';
	protocol: 'HTTP' | 'HTCPCP';
	/** e.g. "HTTP/1.1", "HTCPCP/1.0". */
	version: string;
	method?: string;
	target?: string;
	status?: number;
	headers: { name: string; value: string }[];
	/** The body as text, cut at MAX_BODY_SHOWN bytes (checks read what a page showed). */
	body?: string;
}

export interface LabMessage {
	conn: number;
	hop: Hop | null;
	from: 'client' | 'server';
	timeUs: number;
	/** Frame numbers (as the downloadable pcapng numbers them) that carried it. */
	frames: number[];
	/** The analysis' message id (HTTP/HTCPCP); responses name their request's id in `answers`. */
	id: number;
	answers?: number;
	http?: LabHttp;
	tls?: { contentType: string; encrypted: boolean };
}

export interface ProcessEvent {
	program: TerminalId;
	state: TerminalState;
	pid?: number;
	timeUs: number;
}

export interface ConformanceRun {
	timeUs: number;
	unreachable: boolean;
	passed: number;
	failed: number;
	cases: { name: string; pass: boolean }[];
}

export interface LabSnapshot {
	connections: LabConnection[];
	messages: LabMessage[];
	processes: ProcessEvent[];
	/** The latest output of each terminal (escape sequences removed), bounded. */
	terminals: Partial<Record<TerminalId, string>>;
	conformance: ConformanceRun[];
	/** Per page: how many questions it has and how many are answered correctly. */
	questions: Record<string, { total: number; correct: number }>;
}

export function emptySnapshot(): LabSnapshot {
	return { connections: [], messages: [], processes: [], terminals: {}, conformance: [], questions: {} };
}

/** The hop of a tapped connection: by the tap's label when there is one, else by its server port. */
export function hopOf(label: string | undefined, serverPort: number, ports?: { webapp: number; pot: number }): Hop | null {
	if (label) {
		if (/web app$/.test(label)) return 'browser-webapp';
		if (/pot$/.test(label)) return 'webapp-pot';
	}
	if (ports && serverPort === ports.webapp) return 'browser-webapp';
	if (ports && serverPort === ports.pot) return 'webapp-pot';
	return null;
}

// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|\r/g;

/** Terminal output as plain text: CSI/OSC sequences and carriage returns removed. */
export function plainText(data: string): string {
	return data.replace(ESCAPES, '');
}

export interface BuilderLimits {
	/** Messages kept (oldest dropped first). */
	maxMessages?: number;
	maxConnections?: number;
	/** Characters of each terminal's output kept. */
	terminalChars?: number;
}

/**
 * Builds a snapshot incrementally from what the relay sees. Every call is
 * O(1) amortised: it only appends (lists are trimmed in halves past their cap).
 */
export class SnapshotBuilder {
	readonly snapshot: LabSnapshot = emptySnapshot();
	private readonly hops = new Map<number, Hop | null>();
	private readonly maxMessages: number;
	private readonly maxConnections: number;
	private readonly terminalChars: number;
	/** Bumped on every change, so an evaluator can skip unchanged snapshots. */
	version = 0;

	constructor(limits: BuilderLimits = {}) {
		this.maxMessages = limits.maxMessages ?? 50_000;
		this.maxConnections = limits.maxConnections ?? 20_000;
		this.terminalChars = limits.terminalChars ?? 64 * 1024;
	}

	/** The relay's outgoing `traffic` (open events) and `message` messages; others are ignored. */
	traffic(messages: readonly ServerMessage[]): void {
		const s = this.snapshot;
		for (const m of messages) {
			if (m.type === 'traffic') {
				const e = m.event;
				if (e.kind !== 'open') continue;
				const hop = hopOf(e.label, e.server.port);
				this.hops.set(e.conn, hop);
				s.connections.push({ conn: e.conn, hop, client: { ...e.client }, server: { ...e.server }, timeUs: e.timeUs });
				this.version++;
			} else if (m.type === 'message') {
				const hop = this.hops.get(m.conn) ?? hopOf(m.label, m.server.port);
				const out: LabMessage = { conn: m.conn, hop, from: m.from, timeUs: m.timeUs, frames: [...m.frames], id: m.id };
				if (m.answers !== undefined) out.answers = m.answers;
				if (m.http) {
					const h = m.http;
					out.http = { kind: h.kind, protocol: h.protocol, version: h.version, headers: h.headers };
					if (h.method !== undefined) out.http.method = h.method;
					if (h.target !== undefined) out.http.target = h.target;
					if (h.status !== undefined) out.http.status = h.status;
					if (h.body) out.http.body = h.body;
				}
				if (m.tls) out.tls = { contentType: m.tls.contentType, encrypted: m.tls.encrypted };
				s.messages.push(out);
				this.version++;
			}
		}
		trim(s.messages, this.maxMessages);
		if (trim(s.connections, this.maxConnections)) {
			const kept = new Set(s.connections.map((c) => c.conn));
			for (const conn of this.hops.keys()) if (!kept.has(conn)) this.hops.delete(conn);
		}
	}

	process(event: ProcessEvent): void {
		const list = this.snapshot.processes;
		const last = [...list].reverse().find((p) => p.program === event.program);
		if (last && last.state === event.state && last.pid === event.pid) return;
		list.push({ ...event });
		trim(list, 1000);
		this.version++;
	}

	terminal(id: TerminalId, data: string): void {
		const text = (this.snapshot.terminals[id] ?? '') + plainText(data);
		this.snapshot.terminals[id] = text.length > this.terminalChars ? text.slice(text.length - this.terminalChars) : text;
		this.version++;
	}

	conformance(run: ConformanceRun): void {
		this.snapshot.conformance.push(run);
		trim(this.snapshot.conformance, 100);
		this.version++;
	}

	questions(page: string, total: number, correct: number): void {
		this.snapshot.questions[page] = { total, correct };
		this.version++;
	}
}

/** Drops the oldest half past `max`; true when something was dropped. */
function trim<T>(list: T[], max: number): boolean {
	if (list.length <= max) return false;
	list.splice(0, list.length - Math.floor(max / 2));
	return true;
}

/**
 * A snapshot from a capture's analysis (e.g. a recording's traffic replayed
 * through the shared analyzer), for a verifier that checks the same
 * declarations after the fact. Hops come from the server ports.
 */
export function snapshotFromAnalysis(a: CaptureAnalysis, ports: { webapp: number; pot: number }): LabSnapshot {
	const s = emptySnapshot();
	const hopByStream = new Map<number, Hop | null>();
	const timeOf = (n: number) => {
		const f = a.frames[n - 1];
		return f ? f.seconds * 1_000_000 + Math.floor(f.nanos / 1000) : 0;
	};
	for (const c of a.connections) {
		if (!c) continue;
		const hop = hopOf(c.label, c.server.port, ports);
		hopByStream.set(c.stream, hop);
		s.connections.push({ conn: c.stream, hop, client: { ...c.client }, server: { ...c.server }, timeUs: timeOf(c.frames[0] ?? 0) });
	}
	type Item = { frame: number; out: LabMessage };
	const items: Item[] = [];
	for (const m of a.messages) {
		if (!m) continue;
		const msg = m.message;
		const http: LabHttp = { kind: msg.kind, protocol: msg.protocol, version: versionString(msg), headers: msg.headers.map((h) => ({ name: h.name, value: h.value })) };
		if (msg.method !== undefined) http.method = msg.method;
		if (msg.target !== undefined) http.target = msg.target;
		if (msg.status !== undefined) http.status = msg.status;
		if (msg.body.length > 0) http.body = bodyDecoder.decode(msg.body.subarray(0, MAX_BODY_SHOWN));
		const out: LabMessage = { conn: m.stream, hop: hopByStream.get(m.stream) ?? null, from: m.direction === 0 ? 'client' : 'server', timeUs: timeOf(m.frame), frames: [...m.frames], id: m.id, http };
		if (m.answers !== undefined) out.answers = m.answers;
		items.push({ frame: m.frame, out });
	}
	for (const r of a.tlsRecords) {
		if (!r) continue;
		items.push({
			frame: r.frame,
			out: { conn: r.stream, hop: hopByStream.get(r.stream) ?? null, from: r.direction === 0 ? 'client' : 'server', timeUs: timeOf(r.frame), frames: [...r.frames], id: r.id, tls: { contentType: r.contentTypeName, encrypted: r.encrypted } }
		});
	}
	items.sort((x, y) => x.frame - y.frame);
	s.messages = items.map((i) => i.out);
	return s;
}
