/**
 * Test helpers for the relay: start it as a real process, talk to its
 * websocket like the tutor page does (validating every frame with the shared
 * schema), and walk the process tree it leaves behind.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { parseServerMessage, type ServerMessage } from '../../src/lib/relay-protocol/index';
import { RELAY_NODE_FLAGS } from '../../server/relay/node-flags.mjs';
import { freePort, startProgram, type Started } from '../helpers/process';

export interface RunningRelay {
	program: Started;
	base: string;
	token: string;
	port: number;
	potTap: number;
	webappTap: number;
	dataDir: string;
}

export async function startRelay(extra: string[] = []): Promise<RunningRelay> {
	const [port, potTap, webappTap] = [await freePort(), await freePort(), await freePort()];
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-test-'));
	const program = await startProgram(
		'server/relay/main.ts',
		['--port', String(port), '--pot-port', String(potTap), '--webapp-port', String(webappTap), '--data', dataDir, ...extra],
		/Tutor ready at (http:\/\/\S+)\/\?token=(\S+)/,
		// The flags `npm start` uses, so that tests and benchmarks measure the relay students run.
		{ timeoutMs: 30_000, nodeFlags: RELAY_NODE_FLAGS }
	);
	return { program, base: program.match[1], token: program.match[2], port, potTap, webappTap, dataDir };
}

/** A websocket client that keeps every (validated) message it receives. */
export class RelayClient {
	readonly messages: ServerMessage[] = [];
	readonly invalid: string[] = [];
	/** Websocket frames received (a batch is one frame). */
	frames = 0;
	private waiters: (() => void)[] = [];
	constructor(readonly socket: WebSocket) {
		socket.on('message', (data) => {
			const parsed = parseServerMessage(data.toString());
			this.frames++;
			// A batch is read as the messages it carries, as the page does.
			if (parsed.ok && parsed.message.type === 'batch') this.messages.push(...parsed.message.messages);
			else if (parsed.ok) this.messages.push(parsed.message);
			else this.invalid.push(parsed.error);
			for (const w of this.waiters.splice(0)) w();
		});
	}

	static connect(relay: RunningRelay, options: { token?: string | null; origin?: string | null } = {}): Promise<RelayClient> {
		const token = options.token === undefined ? relay.token : options.token;
		const url = `${relay.base.replace('http', 'ws')}/ws${token ? `?token=${token}` : ''}`;
		const origin = options.origin === undefined ? relay.base : options.origin;
		const socket = new WebSocket(url, origin ? { origin } : {});
		return new Promise((resolve, reject) => {
			const client = new RelayClient(socket);
			socket.once('open', () => resolve(client));
			socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
			socket.once('error', reject);
		});
	}

	send(message: unknown): void {
		this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
	}

	/** Waits until `test` holds for the messages so far (bounded). */
	async until<T>(test: (messages: ServerMessage[]) => T | undefined | false, what: string, timeoutMs = 20_000): Promise<T> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const result = test(this.messages);
			if (result) return result;
			const left = deadline - Date.now();
			if (left <= 0) throw new Error(`timed out waiting for ${what}`);
			await new Promise<void>((resolve) => {
				const timer = setTimeout(resolve, Math.min(left, 250));
				this.waiters.push(() => {
					clearTimeout(timer);
					resolve();
				});
			});
		}
	}

	terminalText(id: string): string {
		return this.messages
			.filter((m) => m.type === 'term-data' && m.id === id)
			.map((m) => (m.type === 'term-data' ? m.data : ''))
			.join('');
	}

	close(): void {
		this.socket.close();
	}
}

/** `root` and every descendant, from /proc. */
export function descendants(root: number): number[] {
	const parents = new Map<number, number>();
	for (const name of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
			parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
		} catch {
			/* gone meanwhile */
		}
	}
	const found = [root];
	for (let i = 0; i < found.length; i++) for (const [pid, ppid] of parents) if (ppid === found[i]) found.push(pid);
	return found;
}

/** True while the process exists and is not a zombie. */
export function running(pid: number): boolean {
	try {
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
	} catch {
		return false;
	}
}
