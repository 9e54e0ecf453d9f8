/**
 * What the replay page gets from the relay for one recording
 * (`/api/recordings/NAME/replay.json`): the verifier's and the checkoff's
 * verdict, and the session decoded into a timeline (terminal bytes, traffic
 * events, marks such as answers and checks), with times in milliseconds
 * from the first record. Browser-safe: types and small pure helpers only.
 */

import type { Endpoint, Side, TrafficEvent } from '../protocol/analysis/events';

export type Verdict = 'pass' | 'fail' | 'rejected' | 'unreadable';

export interface CriterionResult {
	/** The check's id in the content (a column of the CSV). */
	id: string;
	/** The page (slug) that declares it. */
	page: string;
	label: string;
	pass: boolean;
	detail: string;
}

export interface CheckoffResult {
	/** The file as given (path or name). */
	file: string;
	student: string;
	verdict: Verdict;
	/** One line: what failed, what was tampered with, or "all criteria met". */
	reason: string;
	criteria: CriterionResult[];
	/** Quiz points as the relay graded the answers at the time (first right answer per question). */
	score: { points: number; total: number; correct: number; questions: number };
	/** From the first record to the last, in milliseconds. */
	durationMs: number;
	/** The verifier's findings, one line each, first bad record first. */
	problems: string[];
	verifiedThrough: number;
	signedThrough: number;
	complete: boolean;
	records: number;
	keyFingerprint: string | null;
	tutorVersion: string | null;
	startedAt: string | null;
	sessionId: string | null;
}

/** A traffic event as JSON: bytes in base64. */
export type WireTrafficEvent =
	| { type: 'open'; conn: number; timeUs: number; client: Endpoint; server: Endpoint; label?: string }
	| { type: 'data'; conn: number; timeUs: number; from: Side; data: string }
	| { type: 'end' | 'reset'; conn: number; timeUs: number; from: Side }
	| { type: 'close'; conn: number; timeUs: number };

export interface TerminalChunk {
	/** Milliseconds from the start of the recording. */
	t: number;
	/** The bytes, base64. */
	data: string;
}

export type MarkKind = 'program-start' | 'program-exit' | 'answer' | 'check' | 'note' | 'message' | 'end';

export interface ReplayMark {
	t: number;
	kind: MarkKind;
	text: string;
	/** For answers and checks: right or passed. */
	ok?: boolean;
}

export interface ReplayData {
	name: string;
	/** The relay is still writing this recording (the session is going on). */
	inProgress?: boolean;
	/** Microseconds since the epoch of the first record. */
	startUs: number;
	durationMs: number;
	result: CheckoffResult;
	/** Per terminal (pot, webapp, shell): what it showed, and what was typed. */
	terminals: Record<string, { output: TerminalChunk[]; input: TerminalChunk[] }>;
	/** Traffic events in time order. */
	traffic: WireTrafficEvent[];
	marks: ReplayMark[];
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

export function toBase64(bytes: Uint8Array): string {
	let out = '';
	let i = 0;
	for (; i + 2 < bytes.length; i += 3) {
		const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
		out += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
	}
	if (i < bytes.length) {
		const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8);
		out += B64[n >> 18] + B64[(n >> 12) & 63] + (i + 1 < bytes.length ? B64[(n >> 6) & 63] : '=') + '=';
	}
	return out;
}

/** Decodes base64; throws on a character outside the alphabet. */
export function fromBase64(text: string): Uint8Array {
	const clean = text.replace(/=+$/, '');
	const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
	let bits = 0;
	let value = 0;
	let at = 0;
	for (let i = 0; i < clean.length; i++) {
		const c = clean.charCodeAt(i);
		const v = c < 128 ? B64_INDEX[c] : -1;
		if (v < 0) throw new Error(`not base64 at character ${i}`);
		value = (value << 6) | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[at++] = (value >> bits) & 0xff;
		}
	}
	return out.subarray(0, at);
}

export function toWireEvent(e: TrafficEvent): WireTrafficEvent {
	switch (e.type) {
		case 'open':
			return { type: 'open', conn: e.conn, timeUs: e.timeUs, client: { ...e.client }, server: { ...e.server }, ...(e.label ? { label: e.label } : {}) };
		case 'data':
			return { type: 'data', conn: e.conn, timeUs: e.timeUs, from: e.from, data: toBase64(e.bytes) };
		case 'end':
		case 'reset':
			return { type: e.type, conn: e.conn, timeUs: e.timeUs, from: e.from };
		default:
			return { type: 'close', conn: e.conn, timeUs: e.timeUs };
	}
}

export function fromWireEvent(e: WireTrafficEvent): TrafficEvent {
	if (e.type === 'data') return { type: 'data', conn: e.conn, timeUs: e.timeUs, from: e.from, bytes: fromBase64(e.data) };
	return e as TrafficEvent;
}

/** "1 h 02 min", "4 min 05 s", "12 s". */
export function formatDuration(ms: number): string {
	const s = Math.max(0, Math.round(ms / 1000));
	const h = Math.floor(s / 3600);
	const m = Math.floor((s % 3600) / 60);
	const sec = s % 60;
	if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
	if (m > 0) return `${m} min ${String(sec).padStart(2, '0')} s`;
	return `${sec} s`;
}
