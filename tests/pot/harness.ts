/**
 * Helpers for the pot's end-to-end tests: start the real pot program on a free
 * port, and talk to it over raw TCP with full control of how bytes are split.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MessageParser, type HttpMessage } from '../../src/lib/protocol/index';
import { startProgram, type Started } from '../helpers/process';

export const READY = /Listening for connections on (\S+):(\d+)/;

export interface RunningPot extends Started {
	port: number;
	dataDir: string;
}

export function tempDataDir(): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'pot-e2e-'));
}

export async function startPot(args: string[] = [], dataDir = tempDataDir()): Promise<RunningPot> {
	const started = await startProgram('server/pot/main.ts', ['--port', '0', '--local', '--data', dataDir, ...args], READY);
	return { ...started, port: Number(started.match[2]), dataDir };
}

export interface Talk {
	responses: HttpMessage[];
	bytes: Buffer;
	/** True when the pot closed its side. */
	closed: boolean;
}

export interface TalkOptions {
	/** Pause between pieces, ms. */
	gapMs?: number;
	/** Stop once this many responses arrived (default: wait for the pot to close). */
	expect?: number;
	/** Half-close after the last piece. */
	end?: boolean;
	timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends the pieces in order and collects what the pot answers. */
export function talk(port: number, pieces: Array<string | Uint8Array>, options: TalkOptions = {}): Promise<Talk> {
	return new Promise((resolve, reject) => {
		const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
		const parser = new MessageParser('response');
		const responses: HttpMessage[] = [];
		const chunks: Buffer[] = [];
		let done = false;
		const finish = (closed: boolean) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			socket.destroy();
			resolve({ responses, bytes: Buffer.concat(chunks), closed });
		};
		const timer = setTimeout(() => {
			done = true;
			socket.destroy();
			reject(new Error(`no answer after ${options.timeoutMs ?? 15000} ms; got ${JSON.stringify(Buffer.concat(chunks).toString('latin1'))}`));
		}, options.timeoutMs ?? 15000);
		socket.on('data', (chunk) => {
			chunks.push(chunk);
			try {
				responses.push(...parser.push(new Uint8Array(chunk)));
			} catch (e) {
				done = true;
				socket.destroy();
				reject(e);
				return;
			}
			if (options.expect !== undefined && responses.length >= options.expect) finish(false);
		});
		socket.on('end', () => finish(true));
		socket.on('error', () => finish(true));
		socket.on('connect', async () => {
			for (let i = 0; i < pieces.length; i++) {
				if (done) return;
				socket.write(pieces[i]);
				if (options.gapMs && i < pieces.length - 1) await sleep(options.gapMs);
			}
			if (options.end) socket.end();
		});
	});
}

/** A request with a correct Content-Length when it has a body. */
export function request(method: string, target: string, headers: Record<string, string> = {}, body?: string): string {
	let head = `${method} ${target} HTTP/1.1\r\n`;
	for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
	if (body !== undefined) head += `Content-Length: ${Buffer.byteLength(body)}\r\n`;
	return head + '\r\n' + (body ?? '');
}

export const COFFEE = { 'Content-Type': 'application/coffee-pot-command' };
export const TEA = { 'Content-Type': 'message/teapot' };

/** One request on its own connection; resolves with its response. */
export async function one(port: number, raw: string): Promise<HttpMessage> {
	const result = await talk(port, [raw], { expect: 1 });
	return result.responses[0];
}
