/**
 * A writer killed with SIGKILL in the middle of a session leaves a file that
 * verifies up to its last complete record and says it was cut short.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { PRIVATE_KEY_FILE, loadOrCreateKeys, readFrames, verifyRecording } from '../../server/recording/index';
import { ROOT, TSX } from '../helpers/process';
import { tempDir } from './helpers';

const dirs: string[] = [];
afterAll(() => {
	for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function runUntil(dataDir: string, records: number): Promise<string> {
	return new Promise((resolve, reject) => {
		const child = spawn(TSX, [path.join(ROOT, 'tests/recording/fixtures/writer-loop.ts'), dataDir], {
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'pipe'],
			// Its own process group: tsx runs the script in a child node process, and both must die at once.
			detached: true
		});
		const killAll = () => {
			try {
				process.kill(-(child.pid as number), 'SIGKILL');
			} catch {
				/* already gone */
			}
		};
		let out = '';
		let file = '';
		const timer = setTimeout(() => {
			killAll();
			reject(new Error(`the writer did not reach ${records} records:\n${out}`));
		}, 30_000);
		child.stdout.on('data', (chunk: Buffer) => {
			out += chunk.toString();
			file ||= /recording (\S+)/.exec(out)?.[1] ?? '';
			const counts = [...out.matchAll(/records (\d+)/g)];
			const latest = counts.length > 0 ? Number(counts[counts.length - 1][1]) : 0;
			if (file && latest >= records && child.exitCode === null) killAll();
		});
		child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
		child.on('exit', (_code, signal) => {
			clearTimeout(timer);
			if (signal === 'SIGKILL' && file) resolve(file);
			else reject(new Error(`the writer exited by itself (${signal}):\n${out}`));
		});
	});
}

it('a recording cut by kill -9 verifies through its last complete record', async () => {
	const dataDir = tempDir();
	dirs.push(dataDir);
	const file = await runUntil(dataDir, 600);
	const bytes = new Uint8Array(fs.readFileSync(file));
	const { frames } = readFrames(bytes);
	const lastComplete = frames[frames.length - 1].seq;
	expect(lastComplete).toBeGreaterThan(500);

	const keys = loadOrCreateKeys(dataDir);
	const result = verifyRecording(file, { trustedKeys: [keys.publicKeyPem] });
	expect(result.problems).toHaveLength(1);
	expect(result.problems[0]).toMatchObject({ seq: lastComplete + 1, kind: 'truncated' });
	expect(result.verifiedThrough).toBe(lastComplete);
	expect(result.records).toHaveLength(lastComplete + 1);
	expect(result.signedThrough).toBeGreaterThan(0);
	expect(result.signedThrough).toBeLessThanOrEqual(lastComplete);
	expect(result.meta?.student).toBe('kill -9');
	expect(result.records.some((r) => r.type === 'traffic')).toBe(true);

	// A tail cut in the middle of a record (a write the kill interrupted) reads the same way.
	const lastFrame = frames[frames.length - 1];
	const cut = bytes.subarray(0, lastFrame.offset + lastFrame.bytes.length - 7);
	const partial = verifyRecording(cut, { trustedKeys: [keys.fingerprint] });
	expect(partial.problems).toEqual([expect.objectContaining({ seq: lastComplete, kind: 'truncated' })]);
	expect(partial.verifiedThrough).toBe(lastComplete - 1);

	// The key pair was created on first run, private key readable by its owner only.
	const mode = fs.statSync(path.join(dataDir, 'keys', PRIVATE_KEY_FILE)).mode & 0o777;
	expect(mode).toBe(0o600);
}, 60_000);
