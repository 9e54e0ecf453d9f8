/**
 * Server processes for the benchmarks. Each server runs in its own process
 * with its output going to a file (as a terminal would take it), so the load
 * generator's process does not pay for reading logs.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

export interface ServerProcess {
	port: number;
	logFile: string;
	/** CPU time (user + system, seconds) used so far by the server and its child processes. */
	cpuSeconds(): number;
	stop(): Promise<void>;
}

/** `root` and its descendants' CPU time from /proc, in seconds (0 where /proc is missing). */
function treeCpuSeconds(root: number): number {
	const parents = new Map<number, number>();
	const cpu = new Map<number, number>();
	let names: string[] = [];
	try {
		names = fs.readdirSync('/proc');
	} catch {
		return 0;
	}
	for (const name of names) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			parents.set(Number(name), Number(fields[1]));
			cpu.set(Number(name), Number(fields[11]) + Number(fields[12]));
		} catch {
			/* gone meanwhile */
		}
	}
	const tree = [root];
	for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
	return tree.reduce((sum, pid) => sum + (cpu.get(pid) ?? 0), 0) / 100;
}

/**
 * Starts `command args` detached with stdout and stderr in a temp file and
 * waits (up to 20 s) for `ready` to appear there; `ready` must capture the port.
 */
export async function startServer(command: string, args: string[], ready: RegExp): Promise<ServerProcess> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
	const logFile = path.join(dir, 'output.log');
	const fd = fs.openSync(logFile, 'w');
	const child: ChildProcess = spawn(command, args, { cwd: ROOT, stdio: ['ignore', fd, fd], detached: true });
	fs.closeSync(fd);
	const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
	const stop = async () => {
		try {
			process.kill(-(child.pid as number), 'SIGKILL');
		} catch {
			/* gone already */
		}
		await exited;
		fs.rmSync(dir, { recursive: true, force: true });
	};
	for (let waited = 0; waited < 20_000; waited += 50) {
		const match = fs.readFileSync(logFile, 'utf8').match(ready);
		if (match) return { port: Number(match[1]), logFile, stop, cpuSeconds: () => treeCpuSeconds(child.pid as number) };
		if (child.exitCode !== null) break;
		await new Promise((r) => setTimeout(r, 50));
	}
	const output = fs.readFileSync(logFile, 'utf8');
	await stop();
	throw new Error(`${command} ${args.join(' ')} did not become ready:\n${output}`);
}

/** A bare Node `net` server that answers every connection with `response` and closes: the ceiling. */
export function startBareServer(response: string): Promise<ServerProcess> {
	const code = `
const net = require('node:net');
const reply = Buffer.from(${JSON.stringify(response)});
const server = net.createServer({ noDelay: true }, (socket) => {
	socket.on('error', () => socket.destroy());
	socket.once('data', () => socket.end(reply));
});
server.listen(0, '127.0.0.1', () => console.log('bare server on port ' + server.address().port));
`;
	return startServer(process.execPath, ['-e', code], /bare server on port (\d+)/);
}

/** Starts a TypeScript program of the project with tsx. */
export function startTsx(script: string, args: string[], ready: RegExp): Promise<ServerProcess> {
	return startServer(TSX, [script, ...args], ready);
}
