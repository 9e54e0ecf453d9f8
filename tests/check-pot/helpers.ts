/** Helpers for the check-pot tests: the broken Python pots and the CLI as a real process. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ROOT, TSX } from '../helpers/process';

export interface PythonPot {
	port: number;
	stop: () => Promise<void>;
}

/** Start tests/check-pot/fixtures/broken_pot.py in `mode` on a port the OS picks. */
export function startBrokenPot(mode: string): Promise<PythonPot> {
	const child: ChildProcess = spawn('python3', [path.join(ROOT, 'tests/check-pot/fixtures/broken_pot.py'), '--mode', mode], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true
	});
	const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			try {
				process.kill(-(child.pid as number), 'SIGKILL');
			} catch {
				/* gone */
			}
		}
		await exited;
	};
	return new Promise((resolve, reject) => {
		let out = '';
		const timer = setTimeout(() => {
			void stop();
			reject(new Error(`broken_pot.py --mode ${mode} did not start:\n${out}`));
		}, 20_000);
		const onData = (chunk: Buffer) => {
			out += chunk.toString();
			const m = /Listening for connections on \S+:(\d+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve({ port: Number(m[1]), stop });
			}
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`broken_pot.py exited with ${code}:\n${out}`));
		});
	});
}

export interface CliRun {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Run `tsx server/check-pot/main.ts ...args` to the end. */
export function runCli(args: string[], timeoutMs = 60_000): Promise<CliRun> {
	return new Promise((resolve, reject) => {
		const child = spawn(TSX, ['server/check-pot/main.ts', ...args], {
			cwd: ROOT,
			env: { ...process.env, FORCE_COLOR: '0' },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
		child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
		const timer = setTimeout(() => {
			try {
				process.kill(-(child.pid as number), 'SIGKILL');
			} catch {
				/* gone */
			}
			reject(new Error(`check-pot ${args.join(' ')} did not finish:\n${stdout}\n${stderr}`));
		}, timeoutMs);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}
