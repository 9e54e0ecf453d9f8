/**
 * Finding and stopping a process with everything it started. On Linux the
 * tree is read from /proc (parent ids and session ids), so grandchildren that
 * moved to their own process group, as a shell's jobs do, are found too.
 * Elsewhere the process group is signalled, which covers the usual case.
 */

import fs from 'node:fs';

interface ProcInfo {
	pid: number;
	ppid: number;
	pgid: number;
	sid: number;
}

function readProc(pid: number): ProcInfo | null {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name (field 2) may hold spaces and parentheses: split after the last ')'.
		const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return { pid, ppid: Number(rest[1]), pgid: Number(rest[2]), sid: Number(rest[3]) };
	} catch {
		return null;
	}
}

export function hasProc(): boolean {
	return fs.existsSync('/proc/self/stat');
}

/** Every live process on the machine (Linux only; empty elsewhere). */
export function listProcesses(): ProcInfo[] {
	if (!hasProc()) return [];
	const out: ProcInfo[] = [];
	for (const name of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		const info = readProc(Number(name));
		if (info) out.push(info);
	}
	return out;
}

/**
 * `root` and all its descendants, plus every process in the session `root`
 * leads (node-pty makes each program a session leader).
 */
export function processTree(root: number): number[] {
	const all = listProcesses();
	const children = new Map<number, number[]>();
	for (const p of all) {
		const list = children.get(p.ppid) ?? [];
		list.push(p.pid);
		children.set(p.ppid, list);
	}
	const found = new Set<number>();
	const stack = [root];
	while (stack.length > 0) {
		const pid = stack.pop() as number;
		if (found.has(pid)) continue;
		found.add(pid);
		stack.push(...(children.get(pid) ?? []));
	}
	for (const p of all) if (p.sid === root || p.pgid === root) found.add(p.pid);
	return [...found].filter((pid) => pid === root || all.some((p) => p.pid === pid));
}

/** True while `pid` runs; a zombie (exited, not yet reaped) counts as gone. */
export function alive(pid: number): boolean {
	if (hasProc()) {
		try {
			const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
			return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
		} catch {
			return false;
		}
	}
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function signalAll(pids: number[], root: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-root, signal);
	} catch {
		/* no such group */
	}
	for (const pid of pids) {
		try {
			process.kill(pid, signal);
		} catch {
			/* already gone */
		}
	}
}

/**
 * Sends SIGHUP and SIGTERM to the whole tree, waits up to `graceMs` for it to go, then
 * SIGKILLs whatever is left. The tree is re-read each round, so a process
 * forked while we wait is caught as well.
 */
export async function killTree(root: number, graceMs = 3000): Promise<void> {
	let pids = processTree(root);
	const remembered = new Set(pids);
	// SIGHUP as well: an interactive shell ignores SIGTERM but leaves on a hang-up,
	// as it would when its terminal window closes.
	signalAll(pids, root, 'SIGHUP');
	signalAll(pids, root, 'SIGTERM');
	const deadline = Date.now() + graceMs;
	while (Date.now() < deadline) {
		await new Promise((r) => setTimeout(r, 25));
		for (const pid of processTree(root)) remembered.add(pid);
		pids = [...remembered].filter(alive);
		if (pids.length === 0) return;
	}
	signalAll(pids, root, 'SIGKILL');
	const hardDeadline = Date.now() + 2000;
	while (Date.now() < hardDeadline && pids.some(alive)) await new Promise((r) => setTimeout(r, 25));
}
