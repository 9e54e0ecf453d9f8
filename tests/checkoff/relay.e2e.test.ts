/**
 * End to end through the real relay: a session doing the checkoff steps
 * over HTTP through the relay's taps (as curl would), the student's name set
 * through /api/student, a "check my pot" run, a command typed into the shell
 * over the websocket; then the relay is stopped and `npm run checkoff` judges
 * the recording it left. A relay killed with SIGKILL leaves a recording that
 * verifies up to its last complete record.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RELAY_PROTOCOL_VERSION } from '../../src/lib/relay-protocol/index';
import { verifyRecording } from '../../server/recording/index';
import { ROOT, TSX } from '../helpers/process';
import { RelayClient, startRelay, type RunningRelay } from '../relay/client';
import { CHECKOFF_STEPS, get } from './session';

const relays: RunningRelay[] = [];
afterAll(async () => {
	for (const r of relays) {
		await r.program.stop('SIGKILL');
		fs.rmSync(r.dataDir, { recursive: true, force: true });
	}
});

function checkoff(args: string[]): { code: number | null; stdout: string; stderr: string } {
	const r = spawnSync(TSX, ['server/checkoff/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const api = (relay: RunningRelay, p: string, init: RequestInit = {}) => fetch(`${relay.base}${p}${p.includes('?') ? '&' : '?'}token=${relay.token}`, init);

/** The web app behind its tap answers (it starts a moment after the relay says it is ready). */
async function webappUp(relay: RunningRelay): Promise<void> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		try {
			const r = await get(relay.webappTap, '/');
			if (r.status === 200) return;
		} catch (error) {
			if (Date.now() > deadline) throw new Error(`the web app behind the relay's tap never answered: ${(error as Error).message}\n${relay.program.output()}`);
		}
		await new Promise((r) => setTimeout(r, 500));
	}
}

async function currentRecording(relay: RunningRelay): Promise<string> {
	const list = (await (await api(relay, '/api/recordings')).json()) as { current: string };
	return path.join(relay.dataDir, 'recordings', list.current);
}

describe('recording through the relay', () => {
	it('records a whole session that passes the checkoff after a clean stop', async () => {
		const relay = await startRelay(['--brew-seconds', '2']);
		relays.push(relay);
		await webappUp(relay);
		const named = await api(relay, '/api/student', { method: 'POST', body: JSON.stringify({ student: 'Relay Student (s2026)' }) });
		expect(named.status).toBe(200);
		expect(await named.json()).toMatchObject({ recording: true, student: 'Relay Student (s2026)' });

		for (const step of CHECKOFF_STEPS) await get(relay.webappTap, step);
		const potRun = await api(relay, '/api/lab/check-pot', { method: 'POST' });
		expect(potRun.status).toBe(200);

		const client = await RelayClient.connect(relay);
		client.socket.send(JSON.stringify({ v: RELAY_PROTOCOL_VERSION, type: 'term-input', id: 'shell', data: 'echo typed-into-the-shell\r' }));
		await new Promise((r) => setTimeout(r, 300));
		client.socket.close();

		const live = (await (await api(relay, `/api/recordings/${path.basename(await currentRecording(relay))}/replay.json`)).json()) as { inProgress?: boolean };
		expect(live.inProgress).toBe(true);

		const file = await currentRecording(relay);
		expect(path.basename(file)).toContain('Relay-Student-s2026');
		expect(await relay.program.stop('SIGTERM')).toBe(0);

		const v = verifyRecording(file);
		expect(v.problems).toEqual([]);
		expect(v.complete).toBe(true);
		const types = new Set(v.records.map((r) => r.type));
		for (const t of ['traffic', 'message-summary', 'terminal-output', 'terminal-input', 'program-start', 'program-exit', 'check', 'note', 'end'] as const) expect(types).toContain(t);
		const potCheck = v.records.find((r) => r.type === 'check' && r.payload.check === 'check-my-pot-run');
		expect(potCheck?.type === 'check' && potCheck.payload.cases).toBeInstanceOf(Array);
		const typed = v.records.filter((r) => r.type === 'terminal-input').map((r) => new TextDecoder().decode(r.payload.bytes as Uint8Array)).join('');
		expect(typed).toContain('echo typed-into-the-shell');

		const r = checkoff([file, '--keys', path.join(relay.dataDir, 'keys', 'recording-key.pub.pem')]);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(r.stdout).toContain('student   Relay Student (s2026)');
		expect(r.stdout).toContain('verdict   PASS: all criteria met');
	}, 180_000);

	it('a relay killed with SIGKILL leaves a recording that verifies up to its last complete record', async () => {
		const relay = await startRelay(['--brew-seconds', '2']);
		relays.push(relay);
		await webappUp(relay);
		for (const step of CHECKOFF_STEPS) await get(relay.webappTap, step);
		const file = await currentRecording(relay);
		// Traffic is written in batches at least every second; wait (bounded) until the 406 is on disk.
		for (let i = 0; i < 50; i++) {
			const v = verifyRecording(file);
			if (v.records.some((r) => r.type === 'traffic' && r.payload.events.some((e) => e.type === 'data' && new TextDecoder().decode(e.bytes).includes(' 406 ')))) break;
			await new Promise((r) => setTimeout(r, 200));
		}
		await relay.program.stop('SIGKILL');

		const v = verifyRecording(file);
		expect(v.complete).toBe(false);
		expect(v.problems).toHaveLength(1);
		expect(v.problems[0].kind).toBe('truncated');
		expect(v.verifiedThrough).toBe(v.records.at(-1)?.seq);
		const r = checkoff([file]);
		expect(r.code).toBe(1);
		expect(r.stdout).toMatch(new RegExp(`REJECTED: cut short at record ${v.verifiedThrough + 1}: .*; records 0-${v.verifiedThrough} verify`));
		expect(r.stdout).toMatch(/pass\s+page-406/);
	}, 180_000);
});
