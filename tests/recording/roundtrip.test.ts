/** What the writer writes, the verifier reads back: every record type, bytes intact, traffic compressed. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';
import {
	FLAG_DEFLATE,
	PRIVATE_KEY_FILE,
	PUBLIC_KEY_FILE,
	RECORD_TYPES,
	RecordingWriter,
	loadOrCreateKeys,
	readFrames,
	readTrustedKeys,
	verifyRecording
} from '../../server/recording/index';
import { enc, generateRecordingKeys, tempDir, writeSession } from './helpers';

const dirs: string[] = [];
const scratch = () => {
	const d = tempDir();
	dirs.push(d);
	return d;
};
afterAll(() => {
	for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('round trip', () => {
	it('every record type comes back as written, in seq order', () => {
		const keys = generateRecordingKeys();
		const { path: file } = writeSession(keys, { rounds: 3 });
		dirs.push(path.dirname(file));
		const result = verifyRecording(file, { trustedKeys: [keys.publicKeyPem] });
		expect(result.ok).toBe(true);
		expect(result.complete).toBe(true);
		expect(result.meta).toMatchObject({ tutorVersion: '0.1.0', student: 'Grace Hopper (s1234567)', format: 1, keyFingerprint: keys.fingerprint });
		expect(result.records.map((r) => r.seq)).toEqual(result.records.map((_, i) => i));
		const types = new Set(result.records.map((r) => r.type));
		for (const type of Object.keys(RECORD_TYPES)) expect(types, type).toContain(type);

		const input = result.records.find((r) => r.type === 'terminal-input');
		expect(input?.type === 'terminal-input' && new TextDecoder().decode(input.payload.bytes)).toBe('npm run htcpcp -- BREW coffee://ducky start\r');
		const traffic = result.records.filter((r) => r.type === 'traffic');
		expect(traffic).toHaveLength(3);
		const events = traffic[0].type === 'traffic' ? traffic[0].payload.events : [];
		expect(events.map((e) => e.type)).toEqual(['open', 'data', 'data', 'close']);
		const data = events[1] as Extract<TrafficEvent, { type: 'data' }>;
		expect(data.bytes).toBeInstanceOf(Uint8Array);
		expect(new TextDecoder().decode(data.bytes)).toMatch(/^BREW coffee:\/\/ducky HTTP\/1.1\r\n/);
		const exit = result.records.find((r) => r.type === 'program-exit');
		expect(exit?.payload).toEqual({ program: 'pot', pid: 4242, code: 0, signal: null });
		const end = result.records.find((r) => r.type === 'end');
		expect(end?.payload).toEqual({ reason: 'student logged out' });
	});

	it('traffic is stored compressed: a long repetitive session stays small', () => {
		const keys = generateRecordingKeys();
		const w = RecordingWriter.open(scratch(), { tutorVersion: '0.1.0', student: 'x' }, { keys, checkpointMs: 0 });
		let raw = 0;
		const request = enc('GET coffee://ducky HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\n\r\n');
		for (let i = 0; i < 2000; i++) {
			w.appendTraffic({ type: 'data', conn: i, timeUs: 1_700_000_000_000_000 + i, from: 'client', bytes: request });
			raw += request.length;
		}
		w.close();
		const bytes = new Uint8Array(fs.readFileSync(w.path));
		expect(bytes.length).toBeLessThan(raw / 5);
		const frames = readFrames(bytes).frames.filter((f) => f.typeCode === RECORD_TYPES.traffic);
		expect(frames.length).toBeGreaterThan(0);
		for (const f of frames) expect(f.flags & FLAG_DEFLATE).toBe(FLAG_DEFLATE);
		const result = verifyRecording(bytes);
		expect(result.ok).toBe(true);
		const events = result.records.flatMap((r) => (r.type === 'traffic' ? r.payload.events : []));
		expect(events).toHaveLength(2000);
		expect(events[1999]).toMatchObject({ conn: 1999, from: 'client' });
	});

	it('appending after close is refused', () => {
		const w = RecordingWriter.open(scratch(), { tutorVersion: '0.1.0', student: 'x' }, { keys: generateRecordingKeys(), checkpointMs: 0 });
		w.close();
		expect(() => w.append('note', { text: 'late' })).toThrow(/closed/);
	});

	it('a session with no records but meta is still a complete, signed recording', () => {
		const w = RecordingWriter.open(scratch(), { tutorVersion: '0.1.0', student: 'x' }, { keys: generateRecordingKeys(), checkpointMs: 0 });
		w.close();
		const result = verifyRecording(w.path);
		expect(result.problems).toEqual([]);
		expect(result.records.map((r) => r.type)).toEqual(['meta', 'checkpoint', 'end', 'checkpoint']);
		expect(result.signedThrough).toBe(2);
	});
});

describe('keys', () => {
	it('are created once under the data directory and reused', () => {
		const data = scratch();
		const first = loadOrCreateKeys(data);
		const again = loadOrCreateKeys(data);
		expect(again.fingerprint).toBe(first.fingerprint);
		expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/);
		expect(fs.statSync(path.join(data, 'keys', PRIVATE_KEY_FILE)).mode & 0o777).toBe(0o600);
		expect(fs.readFileSync(path.join(data, 'keys', PUBLIC_KEY_FILE), 'utf8')).toBe(first.publicKeyPem);
	});

	it('a loosened private key file is tightened back to 0600', () => {
		const data = scratch();
		loadOrCreateKeys(data);
		const file = path.join(data, 'keys', PRIVATE_KEY_FILE);
		fs.chmodSync(file, 0o644);
		loadOrCreateKeys(data);
		expect(fs.statSync(file).mode & 0o777).toBe(0o600);
	});

	it('pinned keys are read from PEM files, fingerprint lists and directories', () => {
		const a = loadOrCreateKeys(scratch());
		const b = generateRecordingKeys();
		const pins = scratch();
		fs.writeFileSync(path.join(pins, 'tutor-a.pem'), a.publicKeyPem);
		fs.writeFileSync(path.join(pins, 'more.txt'), `# TA laptops\n${b.fingerprint}\n`);
		expect(readTrustedKeys([pins])).toEqual(new Set([a.fingerprint, b.fingerprint]));
		const bad = path.join(pins, 'junk.txt');
		fs.writeFileSync(bad, 'not a key\n');
		expect(() => readTrustedKeys([bad])).toThrow(/junk\.txt holds neither/);
	});
});

describe('traffic payloads', () => {
	it('the traffic encoder gives what the generic encoder gives, and both decode to the events', async () => {
		const { decodePayload, encodePayload, encodeTrafficPayload } = await import('../../server/recording/format');
		const t = 1_700_000_000_000_000;
		const events: TrafficEvent[] = [
			{ type: 'open', conn: 3, timeUs: t, label: 'browser → web app', client: { address: '127.0.0.1', port: 50123 }, server: { address: '127.0.0.1', port: 5031 } },
			{ type: 'data', conn: 3, timeUs: t + 1, from: 'client', bytes: enc('GET / HTTP/1.1\r\nHost: "quoted" é\r\n\r\n') },
			{ type: 'data', conn: 3, timeUs: t + 2, from: 'server', bytes: new Uint8Array([0, 255, 13, 10, 34, 92]) },
			{ type: 'data', conn: 3, timeUs: t + 3, from: 'server', bytes: new Uint8Array(0) },
			{ type: 'end', conn: 3, timeUs: t + 4, from: 'client' },
			{ type: 'reset', conn: 3, timeUs: t + 5, from: 'server' },
			{ type: 'close', conn: 3, timeUs: t + 6 }
		];
		const fast = encodeTrafficPayload(events);
		expect(Buffer.from(fast).equals(Buffer.from(encodePayload({ events })))).toBe(true);
		const back = decodePayload(fast) as { events: TrafficEvent[] };
		expect(back.events.map((e) => (e.type === 'data' ? { ...e, bytes: Array.from(e.bytes) } : e))).toEqual(
			events.map((e) => (e.type === 'data' ? { ...e, bytes: Array.from(e.bytes) } : e))
		);
	});
});
