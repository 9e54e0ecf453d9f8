/**
 * `npm run bench:checkoff`: verifies and judges 300 realistic recordings
 * the way a TA's `npm run checkoff -- folder/` does, and prints the time next
 * to a baseline measured in the same run: reading the same files and
 * hashing every byte once with SHA-256 (the least any verifier must do).
 * Goal: the 300 under 30 s on this machine.
 *
 * The recordings are made from one real session: the real pot and web app
 * behind two taps, the checkoff steps and an ordinary tour of the site done
 * over HTTP. Each generated recording replays that session's records four
 * times (about 200 HTTP and HTCPCP exchanges, their terminal lines and
 * answers), shifted in time, under its own student name, signed by the class key; every tenth
 * skips the 406 step so the verdicts vary as they would in a class.
 */

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCriteria } from '../server/checkoff/criteria';
import { collectFiles, runCheckoff } from '../server/checkoff/run';
import { generateRecordingKeys, RecordingWriter, verifyRecording, type LabRecord, type RecordingKeys } from '../server/recording/index';
import type { TrafficEvent } from '../src/lib/protocol/analysis/events';
import { CHECKOFF_STEPS, recordSession } from '../tests/checkoff/session';

const COUNT = Number(process.env.BENCH_RECORDINGS ?? 300);
const REPEAT = 4;
const GOAL_S = 30;

const TOUR = ['/', '/assets/styles.css', '/?method=brew&message=start&additions=cream&pots=ducky', '/', '/?method=propfind', '/?method=when', '/log', '/?method=brew&message=stop', '/'];

function build(dir: string, index: number, template: LabRecord[], keys: RecordingKeys): void {
	const skip406 = index % 10 === 9;
	const w = RecordingWriter.open(dir, { tutorVersion: '0.1.0', student: `Student ${String(index).padStart(3, '0')} (s${1_000_000 + index})`, ports: { pot: 5030, webapp: 5031 } }, { keys, checkpointMs: 0, fileName: `class-${String(index).padStart(3, '0')}.labrec` });
	const base = template[0].timeUs;
	const start = 1_790_000_000_000_000 + index * 7_000_000_000;
		// Some students skip the chamomile brew: leave out the browser's connection that asked for it.
	const skipped = new Set<number>();
	if (skip406) {
		for (const r of template) if (r.type === 'traffic') for (const e of r.payload.events) if (e.type === 'data' && new TextDecoder().decode(e.bytes.subarray(0, 200)).includes('chamomile')) skipped.add(e.conn);
	}
	for (let round = 0; round < REPEAT; round++) {
		const shift = start + round * 900_000_000 - base;
		const connShift = round * 10_000;
		for (const r of template) {
			const t = r.timeUs + shift;
			switch (r.type) {
				case 'traffic': {
					for (const e of r.payload.events) {
						if (skipped.has(e.conn)) continue;
						w.appendTraffic({ ...e, conn: e.conn + connShift, timeUs: e.timeUs + shift } as TrafficEvent);
					}
					break;
				}
				case 'meta':
				case 'checkpoint':
				case 'end':
					break;
				default:
					w.append(r.type, r.payload as never, t);
			}
		}
		w.flushTraffic();
	}
	w.close('session ended');
}

async function main(): Promise<void> {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-checkoff-'));
	try {
		process.stderr.write('recording one real session (pot and web app behind taps)…\n');
		const session = await recordSession(path.join(work, 'session'), [...TOUR, ...CHECKOFF_STEPS, ...TOUR]);
		const template = verifyRecording(session).records;
		const keys = generateRecordingKeys();
		const dir = path.join(work, 'class');
		fs.mkdirSync(dir);
		process.stderr.write(`generating ${COUNT} recordings…\n`);
		for (let i = 0; i < COUNT; i++) build(dir, i, template, keys);
		const files = collectFiles([dir]);
		const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
		const criteria = loadCriteria();
		const trusted = new Set([keys.fingerprint]);

		// Baseline: read every file and SHA-256 every byte once.
		const b0 = performance.now();
		let sink = 0;
		for (const f of files) sink ^= createHash('sha256').update(fs.readFileSync(f)).digest()[0];
		const baselineS = (performance.now() - b0) / 1000;

		const t0 = performance.now();
		const results = runCheckoff(files, criteria, { trustedKeys: trusted });
		const checkoffS = (performance.now() - t0) / 1000;

		const count = (v: string) => results.filter((r) => r.verdict === v).length;
		const exchanges = Math.round(results.reduce((n, r) => n + r.records, 0) / results.length);
		console.log(`recordings:               ${files.length} (${(bytes / 1048576).toFixed(1)} MiB, ${(bytes / files.length / 1024).toFixed(0)} KiB and ~${exchanges} records each)`);
		console.log(`verdicts:                 ${count('pass')} pass, ${count('fail')} fail, ${count('rejected')} rejected, ${count('unreadable')} unreadable`);
		console.log(`baseline (read + SHA-256): ${baselineS.toFixed(2)} s  (${(bytes / 1048576 / baselineS).toFixed(0)} MiB/s)  [${sink & 0}]`);
		console.log(`checkoff (verify + judge): ${checkoffS.toFixed(2)} s  (${((checkoffS * 1000) / files.length).toFixed(1)} ms per recording)`);
		console.log(`ratio checkoff / baseline: ${(checkoffS / baselineS).toFixed(1)}x`);
		console.log(`goal: ${COUNT} recordings under ${GOAL_S} s: ${checkoffS < GOAL_S ? 'met' : 'NOT met'}`);
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

main().catch((error: Error) => {
	process.stderr.write(`bench:checkoff: ${error.message}\n`);
	process.exit(1);
});
