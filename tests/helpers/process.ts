/**
 * Test helper: start one of the project's programs as a real child process,
 * wait for the line that says it is ready, and stop it (and its children) afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freeLoopbackPort } from '../../server/shared/ports';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

export interface Started {
	child: ChildProcess;
	/** Everything the program printed so far (stdout and stderr). */
	output: () => string;
	/** The first match of `ready` in the output. */
	match: RegExpMatchArray;
	stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** A TCP port that was free a moment ago (the OS picks it); the relay's own helper. */
export const freePort = freeLoopbackPort;

/**
 * Runs `tsx <script> ...args` from the project root and resolves once the
 * output matches `ready`; rejects with the output if the program exits first
 * or `timeoutMs` passes.
 */
export function startProgram(
	script: string,
	args: string[],
	ready: RegExp,
	options: { timeoutMs?: number; env?: NodeJS.ProcessEnv; nodeFlags?: readonly string[] } = {}
): Promise<Started> {
	const child = spawn(TSX, [...(options.nodeFlags ?? []), script, ...args], {
		cwd: ROOT,
		env: { ...process.env, FORCE_COLOR: '0', ...options.env },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true
	});
	let text = '';
	const output = () => text;
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
		if (child.exitCode === null && child.signalCode === null) {
			try {
				process.kill(-(child.pid as number), signal);
			} catch {
				/* already gone */
			}
		}
		return exited;
	};
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			void stop('SIGKILL');
			reject(new Error(`${script} did not print ${ready} within ${options.timeoutMs ?? 20000} ms:\n${text}`));
		}, options.timeoutMs ?? 20000);
		const onData = (chunk: Buffer) => {
			text += chunk.toString('utf8');
			const match = text.match(ready);
			if (match) {
				clearTimeout(timer);
				resolve({ child, output, match, stop });
			}
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		child.on('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${script} exited with ${code} before it was ready:\n${text}`));
		});
	});
}
