/** Helpers for the web app's end-to-end tests: start the real programs, speak real HTTP. */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { ROOT, startProgram, TSX, type Started } from '../helpers/process';

export const POT_READY = /Listening for connections on [^\s:]+:(\d+)/;
export const WEBAPP_READY = /Coffee web app on (https?):\/\/127\.0\.0\.1:(\d+)\//;

export async function startPot(port: number, brewSeconds = 30): Promise<Started> {
	const data = mkdtempSync(path.join(os.tmpdir(), 'webapp-test-pot-'));
	return startProgram('server/pot/main.ts', ['--port', String(port), '--local', '--data', data, '--brew-seconds', String(brewSeconds), '--seed', '7'], POT_READY);
}

export async function startWebapp(args: string[]): Promise<{ app: Started; base: string }> {
	const app = await startProgram('server/webapp/main.ts', ['--port', '0', '--local', ...args], WEBAPP_READY);
	return { app, base: `${app.match[1]}://127.0.0.1:${app.match[2]}` };
}

export interface Reply {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
	localPort: number;
}

export interface RequestOptions {
	method?: string;
	headers?: Record<string, string>;
	agent?: http.Agent | https.Agent;
	/** For HTTPS: trust this CA (PEM) or, when absent, accept any certificate. */
	ca?: string;
}

/** One HTTP(S) request; resolves with what came back over the wire. */
export function request(url: string, options: RequestOptions = {}): Promise<Reply> {
	const target = new URL(url);
	const lib = target.protocol === 'https:' ? https : http;
	return new Promise((resolve, reject) => {
		const req = lib.request(
			target,
			{
				method: options.method ?? 'GET',
				headers: options.headers,
				agent: options.agent,
				...(target.protocol === 'https:' ? (options.ca ? { ca: options.ca, servername: 'localhost' } : { rejectUnauthorized: false }) : {})
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body: Buffer.concat(chunks).toString('utf8'),
						localPort: res.socket?.localPort ?? 0
					})
				);
				res.on('error', reject);
			}
		);
		req.setTimeout(30_000, () => req.destroy(new Error(`no answer from ${url} within 30 s`)));
		req.on('error', reject);
		req.end();
	});
}

/** Runs `tsx script ...args` to its exit; for the CLI's error lines. */
export function runToExit(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
	return new Promise((resolve) => {
		const child = spawn(TSX, [script, ...args], { cwd: ROOT, env: { ...process.env, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
		child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
		child.on('exit', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

/** Polls `check` until it returns true, at most `tries` times. */
export async function eventually(check: () => Promise<boolean>, tries = 100, everyMs = 200): Promise<boolean> {
	for (let i = 0; i < tries; i++) {
		if (await check()) return true;
		await new Promise((r) => setTimeout(r, everyMs));
	}
	return false;
}
