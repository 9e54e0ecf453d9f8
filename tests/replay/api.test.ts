/**
 * The recording routes the relay serves: list, download, the replay
 * timeline with its verdict, the asciicast and pcapng exports, uploads, and
 * the student's name. Over real HTTP, on a recording of a real session.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionRecorder, generateRecordingKeys } from '../../server/recording/index';
import { analyzeCapture } from '../../src/lib/protocol/analysis/frames';
import { readCapture } from '../../src/lib/protocol/capture/read';
import { toAsciicast } from '../../src/lib/replay/asciicast';
import { fromBase64, type ReplayData } from '../../src/lib/replay/model';
import { CHECKOFF_STEPS, recordSession, tempDir } from '../checkoff/session';
import { serveRecordings } from './server';

const dirs: string[] = [];
let file: string;
let server: Awaited<ReturnType<typeof serveRecordings>>;
let recorder: SessionRecorder;

beforeAll(async () => {
	const data = tempDir();
	dirs.push(data);
	file = await recordSession(data, CHECKOFF_STEPS, { student: 'Replay Student (s42)' });
	recorder = SessionRecorder.open({ dataDir: data, tutorVersion: '0.1.0', keys: generateRecordingKeys(), writer: { checkpointMs: 0 } });
	server = await serveRecordings(path.dirname(file), recorder);
}, 120_000);
afterAll(async () => {
	recorder.close();
	await server.close();
	for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const name = () => path.basename(file);
const get = (p: string, init?: RequestInit) => fetch(`${server.base}${p}`, init);

describe('recording routes', () => {
	it('lists the recordings, the current one marked', async () => {
		const body = (await (await get('/api/recordings')).json()) as { current: string; recordings: { name: string; current: boolean; size: number }[] };
		expect(body.current).toBe(path.basename(recorder.path));
		expect(body.recordings.map((r) => r.name).sort()).toEqual([name(), path.basename(recorder.path)].sort());
		expect(body.recordings.find((r) => r.name === name())?.size).toBe(fs.statSync(file).size);
	});

	it('downloads a recording byte for byte', async () => {
		const res = await get(`/api/recordings/${name()}`);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-disposition')).toContain('.labrec');
		expect(Buffer.from(await res.arrayBuffer()).equals(fs.readFileSync(file))).toBe(true);
	});

	it('gives the timeline and the verdict', async () => {
		const data = (await (await get(`/api/recordings/${name()}/replay.json`)).json()) as ReplayData;
		expect(data.result).toMatchObject({ verdict: 'pass', student: 'Replay Student (s42)' });
		expect(data.result.criteria.map((c) => c.id)).toEqual(['pot-400', 'pot-404', 'pot-501', 'pot-415', 'page-418', 'page-406']);
		expect(Object.keys(data.terminals).sort()).toEqual(['pot', 'shell', 'webapp']);
		const shell = data.terminals.shell.output.map((c) => new TextDecoder().decode(fromBase64(c.data))).join('');
		expect(shell).toContain('/test-400');
		expect(data.traffic.filter((e) => e.type === 'open')).toHaveLength(CHECKOFF_STEPS.length * 2);
		expect(data.marks.some((m) => m.kind === 'answer' && m.ok === true)).toBe(true);
		expect(data.marks.at(-1)?.kind).toBe('end');
		expect(data.durationMs).toBeGreaterThan(0);
	});

	it('the session being recorded is marked in progress', async () => {
		recorder.onTerminalOutput('shell', 'still here\r\n');
		const data = (await (await get(`/api/recordings/${path.basename(recorder.path)}/replay.json`)).json()) as ReplayData;
		expect(data.inProgress).toBe(true);
		expect(data.result.verdict).toBe('rejected');
		expect(data.result.reason).toMatch(/^cut short/);
		expect(Object.keys(data.terminals)).toEqual(['shell']);
	});

	it('exports a terminal as asciicast v2', async () => {
		const res = await get(`/api/recordings/${name()}/terminal/shell.cast`);
		expect(res.status).toBe(200);
		const lines = (await res.text()).trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
		const header = lines[0] as Record<string, unknown>;
		expect(header).toMatchObject({ version: 2, width: 80, height: 24 });
		expect(typeof header.timestamp).toBe('number');
		const events = lines.slice(1) as [number, string, string][];
		expect(events.length).toBeGreaterThan(0);
		expect(events.every(([t, kind, text]) => typeof t === 'number' && (kind === 'o' || kind === 'i') && typeof text === 'string')).toBe(true);
		expect(events.map((e) => e[0])).toEqual([...events.map((e) => e[0])].sort((a, b) => a - b));
		expect(events.filter((e) => e[1] === 'o').map((e) => e[2]).join('')).toContain('/test-415');
	});

	it('exports the traffic as pcapng that tshark and the analysis read', async () => {
		const bytes = new Uint8Array(await (await get(`/api/recordings/${name()}/traffic.pcapng`)).arrayBuffer());
		const analysis = analyzeCapture(readCapture(bytes));
		const statuses = analysis.messages.filter((m) => m.message.kind === 'response').map((m) => m.message.status);
		for (const s of [400, 404, 501, 415, 418, 406]) expect(statuses).toContain(s);
		const out = path.join(dirs[0], 'x.pcapng');
		fs.writeFileSync(out, bytes);
		const t = spawnSync('tshark', ['-r', out, '-Y', 'tcp.flags.syn == 1 && tcp.flags.ack == 0'], { encoding: 'utf8', timeout: 60_000 });
		if (t.error) return; // tshark missing: the analysis above already read it
		expect(t.status).toBe(0);
		expect(t.stdout.trim().split('\n')).toHaveLength(CHECKOFF_STEPS.length * 2);
	});

	it('replays an uploaded file, and says when it is not a recording', async () => {
		const ok = (await (await get('/api/recordings/replay.json', { method: 'POST', body: fs.readFileSync(file), headers: { 'X-Recording-Name': 'mine.labrec' } })).json()) as ReplayData;
		expect(ok.name).toBe('mine.labrec');
		expect(ok.result.verdict).toBe('pass');
		const junk = (await (await get('/api/recordings/replay.json', { method: 'POST', body: 'hello' })).json()) as ReplayData;
		expect(junk.result.verdict).toBe('unreadable');
	});

	it('refuses bad names, unknown recordings and wrong methods', async () => {
		expect((await get('/api/recordings/..%2Fkeys%2Frecording-key.pem')).status).toBe(400);
		expect((await get('/api/recordings/nope.labrec')).status).toBe(404);
		expect((await get(`/api/recordings/${name()}`, { method: 'DELETE' })).status).toBe(405);
		expect((await get(`/api/recordings/${name()}/other`)).status).toBe(404);
	});

	it('sets the student name', async () => {
		const before = (await (await get('/api/student')).json()) as { recording: boolean; student: string };
		expect(before).toMatchObject({ recording: true, student: 'unnamed' });
		const set = await get('/api/student', { method: 'POST', body: JSON.stringify({ student: 'Katherine Johnson (s77)' }) });
		expect(set.status).toBe(200);
		expect(((await set.json()) as { student: string }).student).toBe('Katherine Johnson (s77)');
		expect(path.basename(recorder.path)).toContain('Katherine-Johnson-s77');
		const bad = await get('/api/student', { method: 'POST', body: JSON.stringify({ student: ' ' }) });
		expect(bad.status).toBe(400);
		expect(((await bad.json()) as { message: string }).message).toMatch(/empty/);
		expect((await get('/api/student', { method: 'POST', body: 'x'.repeat(10_000) })).status).toBe(413);
	});
});

describe('asciicast', () => {
	it('keeps a character split across two chunks whole', () => {
		const euro = new TextEncoder().encode('€');
		const cast = toAsciicast([
			{ timeUs: 1_000_000, bytes: euro.subarray(0, 1) },
			{ timeUs: 1_500_000, bytes: euro.subarray(1) }
		]);
		const [header, ...events] = cast.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
		expect(header).toMatchObject({ version: 2, timestamp: 1 });
		expect(events).toEqual([[0.5, 'o', '€']]);
	});
});
