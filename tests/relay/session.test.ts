/**
 * A page that was let in keeps its session across a relay restart (same data
 * folder), so it reconnects by itself; the old launch token is dead, and a
 * forged or expired session cookie is refused.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Auth, loadSessionKey, SESSION_MAX_AGE_S } from '../../server/relay/auth';
import { freePort, startProgram, type Started } from '../helpers/process';

const running: Started[] = [];
afterAll(async () => {
	for (const p of running) await p.stop('SIGTERM');
});

async function launch(port: number, dataDir: string): Promise<{ base: string; token: string; program: Started }> {
	const [pot, webapp] = [await freePort(), await freePort()];
	const program = await startProgram(
		'server/relay/main.ts',
		['--port', String(port), '--pot-port', String(pot), '--webapp-port', String(webapp), '--data', dataDir, '--no-shell'],
		/Tutor ready at (http:\/\/\S+)\/\?token=(\S+)/,
		{ timeoutMs: 30_000 }
	);
	running.push(program);
	return { base: program.match[1], token: program.match[2], program };
}

function wsStatus(base: string, cookie: string): Promise<number> {
	return new Promise((resolve) => {
		const socket = new WebSocket(`${base.replace('http', 'ws')}/ws`, { origin: base, headers: { cookie } });
		socket.once('open', () => {
			socket.close();
			resolve(101);
		});
		socket.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
		socket.once('error', () => resolve(0));
	});
}

describe('sessions across relay restarts', () => {
	it('keeps a page that traded its token, and refuses the old token', async () => {
		const port = await freePort();
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-session-'));
		const first = await launch(port, dataDir);
		const traded = await fetch(`${first.base}/?token=${first.token}`, { redirect: 'manual' });
		const cookie = (traded.headers.get('set-cookie') ?? '').split(';')[0];
		expect(cookie).toMatch(/^htcpcp_tutor_\d+=s1\./);
		expect(cookie).not.toContain(first.token);
		expect(await wsStatus(first.base, cookie)).toBe(101);
		await first.program.stop('SIGTERM');

		const second = await launch(port, dataDir);
		expect(second.token).not.toBe(first.token);
		expect(await wsStatus(second.base, cookie)).toBe(101);
		expect((await fetch(`${second.base}/api/status`, { headers: { cookie } })).status).toBe(200);
		expect((await fetch(`${second.base}/api/status?token=${first.token}`)).status).toBe(401);
		expect((fs.statSync(path.join(dataDir, 'session.key')).mode & 0o777).toString(8)).toBe('600');
	});

	it('refuses a session signed with another key, a tampered one and an expired one', () => {
		const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-session-'));
		const auth = new Auth(5050, '127.0.0.1', undefined, loadSessionKey(dataDir));
		const other = new Auth(5050, '127.0.0.1');
		const value = (a: Auth, now?: number) => a.cookie(now).split(';')[0].split('=')[1];
		expect(auth.validSession(value(auth))).toBe(true);
		expect(auth.validSession(value(other))).toBe(false);
		const good = value(auth);
		expect(auth.validSession(good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A'))).toBe(false);
		const old = Date.now() - (SESSION_MAX_AGE_S + 60) * 1000;
		expect(auth.validSession(value(auth, old))).toBe(false);
		expect(auth.validSession(auth.token)).toBe(false);
	});
});
