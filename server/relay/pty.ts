/**
 * One browser terminal: a program running in a pseudo-terminal (node-pty),
 * its scroll-back kept here so a reloaded page sees recent output, its
 * status (running, exited with what, failed to start) and restart.
 *
 * Flow control: output is batched into chunks; whoever forwards them calls
 * `hold(true)` while its consumers are behind, which pauses reading from the
 * pty, so a program that floods its terminal blocks on its own writes
 * instead of filling the relay's memory.
 */

import pty from 'node-pty';
import type { TerminalId, TerminalState, TerminalStatus } from '../../src/lib/relay-protocol/index';
import { RELAY_PROTOCOL_VERSION } from '../../src/lib/relay-protocol/index';
import { killTree } from '../shared/proctree';

/** Characters of scroll-back kept per terminal. */
export const SCROLLBACK_CHARS = 256 * 1024;
/** Output is gathered for at most this long before it is passed on. */
const BATCH_MS = 4;
const BATCH_CHARS = 32 * 1024;
/** A program that exits sooner than this after starting is reported as failing to start. */
const STARTUP_MS = 2500;

export interface SpawnSpec {
	file: string;
	args: string[];
	cwd: string;
	env: NodeJS.ProcessEnv;
	/** What the user is shown as the command. */
	display: string;
}

export interface TerminalEvents {
	data(id: TerminalId, chunk: string): void;
	status(status: TerminalStatus): void;
	/** One line for the relay's own console (start failures, crashes). */
	log(line: string): void;
}

class Scrollback {
	private chunks: string[] = [];
	private size = 0;
	constructor(private readonly limit: number) {}
	push(chunk: string): void {
		this.chunks.push(chunk);
		this.size += chunk.length;
		while (this.size > this.limit && this.chunks.length > 1) this.size -= (this.chunks.shift() as string).length;
		if (this.size > this.limit) {
			this.chunks[0] = this.chunks[0].slice(this.size - this.limit);
			this.size = this.limit;
		}
	}
	text(): string {
		return this.chunks.join('');
	}
	lastLine(): string {
		const lines = this.text().replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').split(/\r?\n/).map((l) => l.trim());
		return lines.filter((l) => l !== '').at(-1) ?? '';
	}
}

export class Terminal {
	readonly id: TerminalId;
	readonly title: string;
	private readonly spec: SpawnSpec | null;
	private readonly events: TerminalEvents;
	private readonly offNote: string | undefined;
	private proc: pty.IPty | null = null;
	private state: TerminalState;
	private exitCode: number | null = null;
	private signal: string | null = null;
	private note: string | undefined;
	private startedAt = 0;
	private cols = 100;
	private rows = 30;
	private readonly scrollback = new Scrollback(SCROLLBACK_CHARS);
	private batch: string[] = [];
	private batchSize = 0;
	private batchTimer: NodeJS.Timeout | null = null;
	private held = false;
	private stopping: Promise<void> | null = null;
	private exited: Promise<void> = Promise.resolve();

	constructor(id: TerminalId, title: string, spec: SpawnSpec | null, events: TerminalEvents, offNote?: string) {
		this.id = id;
		this.title = title;
		this.spec = spec;
		this.events = events;
		this.offNote = offNote;
		this.state = spec ? 'starting' : 'off';
		if (!spec && offNote) this.scrollback.push(`${offNote}\r\n`);
	}

	status(): TerminalStatus {
		return {
			v: RELAY_PROTOCOL_VERSION,
			type: 'term-status',
			id: this.id,
			title: this.title,
			command: this.spec?.display ?? '',
			state: this.state,
			...(this.proc ? { pid: this.proc.pid } : {}),
			exitCode: this.exitCode,
			signal: this.signal,
			...(this.note ?? this.offNote ? { note: this.note ?? this.offNote } : {})
		};
	}

	history(): string {
		return this.scrollback.text();
	}

	pid(): number | null {
		return this.proc?.pid ?? null;
	}

	start(): void {
		if (!this.spec || this.proc) return;
		this.exitCode = null;
		this.signal = null;
		this.note = undefined;
		let proc: pty.IPty;
		try {
			proc = pty.spawn(this.spec.file, this.spec.args, {
				name: 'xterm-256color',
				cols: this.cols,
				rows: this.rows,
				cwd: this.spec.cwd,
				env: this.spec.env as Record<string, string>
			});
		} catch (error) {
			this.state = 'failed';
			this.note = `could not start "${this.spec.display}": ${(error as Error).message}`;
			this.output(`\r\n[${this.note}]\r\n`);
			this.events.log(`relay: the ${this.title} ${this.note}`);
			this.events.status(this.status());
			return;
		}
		this.proc = proc;
		this.startedAt = Date.now();
		this.state = 'running';
		if (this.held) proc.pause();
		let resolveExit: () => void = () => {};
		this.exited = new Promise((resolve) => (resolveExit = resolve));
		proc.onData((data) => this.output(data));
		proc.onExit(({ exitCode, signal }) => {
			this.flush();
			this.proc = null;
			this.exitCode = signal ? null : exitCode;
			this.signal = signal ? signalName(signal) : null;
			const how = this.signal ? `was stopped by ${this.signal}` : `exited with status ${exitCode}`;
			const early = Date.now() - this.startedAt < STARTUP_MS && this.stopping === null && (signal || exitCode !== 0);
			if (this.stopping) {
				this.state = 'exited';
			} else if (early) {
				this.state = 'failed';
				const why = this.scrollback.lastLine();
				this.note = `"${this.spec?.display}" failed to start: it ${how}${why ? ` (${why})` : ''}`;
				this.events.log(`relay: the ${this.title} ${this.note}`);
			} else {
				this.state = 'exited';
				if (signal || exitCode !== 0) this.events.log(`relay: the ${this.title} ${how}; restart it from the tutor`);
			}
			this.output(`\r\n\x1b[2m[${this.title} ${how}]\x1b[0m\r\n`);
			this.flush();
			this.events.status(this.status());
			resolveExit();
		});
		this.events.status(this.status());
	}

	/** Stops the program and everything it started. */
	stop(): Promise<void> {
		if (this.stopping) return this.stopping;
		const proc = this.proc;
		if (!proc) return Promise.resolve();
		if (this.held) proc.resume(); // a paused pty cannot drain what the program writes while exiting
		const exited = this.exited;
		this.stopping = killTree(proc.pid)
			.then(() => Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]))
			.then(() => {
				this.stopping = null;
			});
		return this.stopping;
	}

	async restart(): Promise<void> {
		if (!this.spec) return;
		await this.stop();
		this.output(`\r\n\x1b[2m[restarting ${this.title}]\x1b[0m\r\n`);
		this.start();
	}

	write(data: string): void {
		this.proc?.write(data);
	}

	resize(cols: number, rows: number): void {
		this.cols = cols;
		this.rows = rows;
		try {
			this.proc?.resize(cols, rows);
		} catch {
			/* the pty closed between the check and the call */
		}
	}

	/** Pauses (true) or resumes (false) reading the program's output. */
	hold(held: boolean): void {
		if (held === this.held) return;
		this.held = held;
		if (!this.proc) return;
		if (held) this.proc.pause();
		else this.proc.resume();
	}

	isHeld(): boolean {
		return this.held;
	}

	private output(data: string): void {
		this.scrollback.push(data);
		this.batch.push(data);
		this.batchSize += data.length;
		if (this.batchSize >= BATCH_CHARS) this.flush();
		else this.batchTimer ??= setTimeout(() => this.flush(), BATCH_MS);
	}

	private flush(): void {
		if (this.batchTimer) clearTimeout(this.batchTimer);
		this.batchTimer = null;
		if (this.batchSize === 0) return;
		const chunk = this.batch.join('');
		this.batch = [];
		this.batchSize = 0;
		this.events.data(this.id, chunk);
	}
}

const SIGNALS: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 6: 'SIGABRT', 9: 'SIGKILL', 11: 'SIGSEGV', 15: 'SIGTERM' };

function signalName(n: number): string {
	return SIGNALS[n] ?? `signal ${n}`;
}
