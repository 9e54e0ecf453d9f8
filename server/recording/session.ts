/**
 * The relay's side of recording: one `SessionRecorder` per relay run, fed by
 * the relay with what it sees (tapped traffic, terminal bytes both ways,
 * program starts and exits, answers, checks) and writing it all to one
 * `.labrec` file under `<data>/recordings/` through `RecordingWriter`.
 *
 * Terminal bytes arrive in many small pieces (a keystroke, a line of output);
 * they are gathered per terminal for `coalesceMs` so a busy terminal makes a
 * few records a second, not hundreds. Nothing here throws at the relay: a
 * recording that cannot be written (disk full, folder removed) is reported
 * once through `log`, marked failed in `state()`, and the session goes on.
 */

import fs from 'node:fs';
import path from 'node:path';
import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';
import { nowUs } from '../shared/clock';
import type { AnswerPayload, CheckPayload, MessageSummaryPayload } from './format';
import { loadOrCreateKeys, shortFingerprint, type RecordingKeys } from './keys';
import { RecordingWriter, type WriterOptions } from './writer';

export const RECORDINGS_DIR = 'recordings';
/** The name used until the student types theirs. */
export const UNNAMED_STUDENT = 'unnamed';
export const MAX_STUDENT_CHARS = 100;

export interface SessionRecorderOptions {
	/** The relay's data folder: recordings go to `<dataDir>/recordings`, keys to `<dataDir>/keys`. */
	dataDir: string;
	tutorVersion: string;
	student?: string;
	host?: string;
	/** The lab's ports as the student's programs see them, kept in the meta record for the verifier. */
	ports?: { pot: number; webapp: number };
	keys?: RecordingKeys;
	writer?: WriterOptions;
	/** Terminal bytes are gathered this long per terminal before a record is written (default 50 ms). */
	coalesceMs?: number;
	log?: (line: string) => void;
}

export interface RecorderState {
	recording: boolean;
	student: string;
	/** File name inside the recordings folder. */
	file: string;
	keyFingerprint: string;
	/** Why recording stopped, when it failed. */
	error?: string;
}

/** The result of a "check my pot" run, as the check-pot battery reports it. */
export interface ConformanceReport {
	unreachable: boolean;
	passed: number;
	failed: number;
	results: { name: string; pass: boolean; reason?: string }[];
}

/** The name of the check record a "check my pot" run becomes. */
export const CHECK_MY_POT = 'check-my-pot-run';

/** Checks a typed name or id; returns the cleaned name or throws an Error with one line for the student. */
export function cleanStudentName(raw: unknown): string {
	if (typeof raw !== 'string') throw new Error('send the name as text, e.g. {"student": "Ada Lovelace (s1234567)"}');
	// eslint-disable-next-line no-control-regex
	const name = raw.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
	if (name === '') throw new Error('the name is empty; type your name or student id');
	if ([...name].length > MAX_STUDENT_CHARS) throw new Error(`the name is longer than ${MAX_STUDENT_CHARS} characters; shorten it`);
	return name;
}

function safePart(text: string): string {
	const cleaned = text.normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
	return cleaned.slice(0, 40) || 'student';
}

interface Pending {
	type: 'terminal-output' | 'terminal-input';
	terminal: string;
	chunks: Uint8Array[];
	bytes: number;
	timeUs: number;
	timer: NodeJS.Timeout;
}

const encoder = new TextEncoder();
const toBytes = (data: string | Uint8Array) => (typeof data === 'string' ? encoder.encode(data) : data);

export class SessionRecorder {
	private writer: RecordingWriter | null;
	private filePath: string;
	private name: string;
	private readonly started: string;
	private readonly keyFingerprint: string;
	private readonly coalesceMs: number;
	private readonly log: (line: string) => void;
	private readonly pending = new Map<string, Pending>();
	private failure: string | undefined;

	private constructor(writer: RecordingWriter, student: string, options: SessionRecorderOptions) {
		this.writer = writer;
		this.filePath = writer.path;
		this.name = student;
		// The writer names files `<ISO start, 24 characters>-<student>-<session id>.labrec`.
		this.started = path.basename(writer.path).slice(0, 24);
		this.keyFingerprint = writer.keys.fingerprint;
		this.coalesceMs = options.coalesceMs ?? 50;
		this.log = options.log ?? (() => {});
	}

	/** Opens `<dataDir>/recordings/<start>-<student>-<id>.labrec` and writes its meta record. */
	static open(options: SessionRecorderOptions): SessionRecorder {
		const student = options.student ? cleanStudentName(options.student) : UNNAMED_STUDENT;
		const keys = options.keys ?? loadOrCreateKeys(options.dataDir);
		const writer = RecordingWriter.open(
			path.join(options.dataDir, RECORDINGS_DIR),
			{
				tutorVersion: options.tutorVersion,
				student,
				...(options.host ? { host: options.host } : {}),
				...(options.ports ? { ports: options.ports } : {})
			},
			{ ...options.writer, keys }
		);
		return new SessionRecorder(writer, student, options);
	}

	/** The recording's current path (it changes when the student sets a name). */
	get path(): string {
		return this.filePath;
	}

	get student(): string {
		return this.name;
	}

	state(): RecorderState {
		return {
			recording: this.writer !== null && !this.writer.isClosed,
			student: this.name,
			file: path.basename(this.filePath),
			keyFingerprint: shortFingerprint(this.keyFingerprint),
			...(this.failure ? { error: this.failure } : {})
		};
	}

	onTraffic(event: TrafficEvent): void {
		this.guard(() => this.writer?.appendTraffic(event));
	}

	onTerminalOutput(terminal: string, data: string | Uint8Array): void {
		this.gather('terminal-output', terminal, toBytes(data));
	}

	onTerminalInput(terminal: string, data: string | Uint8Array): void {
		this.gather('terminal-input', terminal, toBytes(data));
	}

	onProgramStart(program: string, details: { args?: string[]; pid?: number } = {}): void {
		this.append('program-start', { program, ...details });
	}

	onProgramExit(program: string, details: { code: number | null; signal?: string | null; pid?: number }): void {
		this.append('program-exit', { program, ...details });
	}

	onMessageSummary(summary: MessageSummaryPayload): void {
		this.append('message-summary', summary);
	}

	onAnswer(answer: AnswerPayload): void {
		this.append('answer', answer);
	}

	onCheck(check: CheckPayload): void {
		this.append('check', check);
	}

	/** A "check my pot" run, as a `check` record named `check-my-pot-run` carrying every case. */
	onConformance(report: ConformanceReport, lesson?: string): void {
		const detail = report.unreachable
			? 'the pot could not be reached'
			: `${report.passed} passed, ${report.failed} failed${report.failed ? `: ${report.results.filter((r) => !r.pass).slice(0, 5).map((r) => r.name).join(', ')}` : ''}`;
		this.append('check', {
			check: CHECK_MY_POT,
			passed: !report.unreachable && report.failed === 0 && report.passed > 0,
			detail,
			...(lesson ? { lesson } : {}),
			unreachable: report.unreachable,
			cases: report.results.map((r) => ({ name: r.name, pass: r.pass, ...(r.reason ? { reason: r.reason } : {}) }))
		});
	}

	note(text: string): void {
		this.append('note', { text });
	}

	/**
	 * Records the name or id the student typed (a `note` record with a
	 * `student` field; the verifier takes the last one) and renames the file
	 * to carry it. Throws an Error with one line when the name is unusable.
	 */
	setStudent(raw: unknown): string {
		const name = cleanStudentName(raw);
		if (name === this.name) return name;
		this.append('note', { text: `student: ${name}`, student: name });
		this.name = name;
		const dir = path.dirname(this.filePath);
		const id = this.writer?.sessionId ?? '';
		const next = path.join(dir, `${this.started}-${safePart(name)}-${id}.labrec`);
		try {
			fs.renameSync(this.filePath, next);
			this.filePath = next;
		} catch (error) {
			this.log(`recording: kept the file name ${path.basename(this.filePath)} (renaming failed: ${(error as NodeJS.ErrnoException).code})`);
		}
		return name;
	}

	/** Writes what is waiting, the end record and the final checkpoint. Safe to call twice. */
	close(reason = 'session ended'): void {
		this.flushTerminals();
		const w = this.writer;
		if (!w || w.isClosed) return;
		this.guard(() => w.close(reason));
	}

	/** Writes everything waiting (terminal bytes, the traffic batch) and signs it, so a reader sees the session so far. */
	flush(): void {
		this.flushTerminals();
		this.guard(() => {
			const w = this.writer;
			if (w && !w.isClosed) w.checkpoint();
		});
	}

	/** Writes the gathered terminal bytes now. */
	flushTerminals(): void {
		for (const key of [...this.pending.keys()]) this.flushPending(key);
	}

	private gather(type: Pending['type'], terminal: string, bytes: Uint8Array): void {
		if (bytes.length === 0 || !this.writer || this.writer.isClosed) return;
		const key = `${type}:${terminal}`;
		let p = this.pending.get(key);
		if (!p) {
			const timer = setTimeout(() => this.flushPending(key), this.coalesceMs);
			timer.unref();
			p = { type, terminal, chunks: [], bytes: 0, timeUs: nowUs(), timer };
			this.pending.set(key, p);
		}
		p.chunks.push(bytes);
		p.bytes += bytes.length;
		if (p.bytes >= 32 * 1024) this.flushPending(key);
	}

	private flushPending(key: string): void {
		const p = this.pending.get(key);
		if (!p) return;
		this.pending.delete(key);
		clearTimeout(p.timer);
		const bytes = p.chunks.length === 1 ? p.chunks[0] : new Uint8Array(Buffer.concat(p.chunks));
		this.append(p.type, { terminal: p.terminal, bytes }, p.timeUs);
	}

	private append<T extends Parameters<RecordingWriter['append']>[0]>(type: T, payload: Parameters<RecordingWriter['append']>[1] & object, timeUs?: number): void {
		// Terminal bytes gathered earlier go first, so records stay in the order things happened.
		if (type !== 'terminal-output' && type !== 'terminal-input') this.flushTerminals();
		this.guard(() => {
			const w = this.writer;
			if (w && !w.isClosed) w.append(type, payload as never, timeUs);
		});
	}

	private guard(step: () => void): void {
		if (!this.writer) return;
		try {
			step();
		} catch (error) {
			this.failure = `recording stopped: ${(error as Error).message}`;
			this.log(`recording: ${this.failure}; the session goes on without it`);
			this.writer = null;
			for (const p of this.pending.values()) clearTimeout(p.timer);
			this.pending.clear();
		}
	}
}
