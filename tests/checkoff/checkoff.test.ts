/**
 * `npm run checkoff` on recordings of real sessions (the real pot and web
 * app behind taps, recorded by SessionRecorder as the relay does): verdicts,
 * the table, the CSV, exit codes, every kind of tampering, a session that
 * skipped the 406, a session killed with SIGKILL.
 */
import { ADDITIONS } from '../../src/lib/protocol/index';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCriteria } from '../../server/checkoff/criteria';
import { checkFile, snapshotOfRecords } from '../../server/checkoff/evaluate';
import { evaluateCheck } from '../../src/lib/lab/checks';
import { generateRecordingKeys, verifyRecording, SessionRecorder, type RecordingKeys } from '../../server/recording/index';
import { ROOT, TSX } from '../helpers/process';
import { dropFrame, frameSpans, insertBefore, swapFrames, rebuild } from '../recording/helpers';
import { CHECKOFF_STEPS, recordSession, tempDir, WITHOUT_406 } from './session';

const dirs: string[] = [];
const temp = () => {
	const d = tempDir();
	dirs.push(d);
	return d;
};
afterAll(() => {
	for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function checkoff(args: string[]): { code: number | null; stdout: string; stderr: string } {
	const r = spawnSync(TSX, ['server/checkoff/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function csvRows(file: string): Record<string, string>[] {
	const [head, ...rows] = fs.readFileSync(file, 'utf8').trimEnd().split('\r\n');
	const names = head.split(',');
	// The test data has no quoted commas except in the reason, which is the last column.
	return rows.map((line) => {
		const cells = line.split(',');
		const out: Record<string, string> = {};
		names.forEach((n, i) => (out[n] = i === names.length - 1 ? cells.slice(i).join(',') : cells[i]));
		return out;
	});
}

let keys: RecordingKeys;
let good: string;
let no406: string;
let goodBytes: Uint8Array;

beforeAll(async () => {
	keys = generateRecordingKeys();
	good = await recordSession(temp(), CHECKOFF_STEPS, { keys, student: 'Grace Hopper (s1000002)' });
	no406 = await recordSession(temp(), WITHOUT_406, { keys, student: 'Alan Turing (s1000003)' });
	goodBytes = new Uint8Array(fs.readFileSync(good));
}, 120_000);

function keyFile(): string {
	const file = path.join(temp(), 'class.pub.pem');
	fs.writeFileSync(file, keys.publicKeyPem);
	return file;
}

function variant(name: string, bytes: Uint8Array): string {
	const file = path.join(temp(), name);
	fs.writeFileSync(file, bytes);
	return file;
}

describe('checkoff of real sessions', () => {
	it('passes a complete session: table, CSV and exit 0', () => {
		const csv = path.join(temp(), 'out.csv');
		const r = checkoff([good, no406, '--csv', csv, '--keys', keyFile()]);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(r.stdout).toContain('Grace Hopper (s1000002)');
		// The 406 page must list what the pot's own 406 said it accepts: every offered addition.
		expect(r.stdout).toMatch(new RegExp(`pass\\s+page-406\\s+the pot answered 406 and the web app's page \\(frame \\d+\\) lists the ${ADDITIONS.length} additions the pot accepts`));
		expect(r.stdout).toContain('verdict   PASS: all criteria met');
		expect(r.stdout).toContain('verdict   FAIL: missing: page-406');
		expect(r.stdout).toContain('2 recording(s): 1 pass, 1 fail, 0 rejected, 0 unreadable');
		const rows = csvRows(csv);
		expect(Object.keys(rows[0])).toEqual(['student', 'file', 'session', 'started_at', 'pot-400', 'pot-404', 'pot-501', 'pot-415', 'page-418', 'page-406', 'score', 'max_score', 'minutes', 'verdict', 'reason']);
		expect(rows[0]).toMatchObject({ student: 'Grace Hopper (s1000002)', 'pot-400': 'pass', 'pot-404': 'pass', 'pot-501': 'pass', 'pot-415': 'pass', 'page-418': 'pass', 'page-406': 'pass', score: '1', verdict: 'pass' });
		expect(rows[1]).toMatchObject({ student: 'Alan Turing (s1000003)', 'page-418': 'pass', 'page-406': 'fail', verdict: 'fail', reason: 'missing: page-406' });
	});

	it('reads folders, shows a progress bar on request and counts the answers once', () => {
		const dir = temp();
		fs.copyFileSync(good, path.join(dir, 'a.labrec'));
		fs.mkdirSync(path.join(dir, 'late'));
		fs.copyFileSync(no406, path.join(dir, 'late', 'b.labrec'));
		const r = checkoff([dir, '--progress']);
		expect(r.code).toBe(0);
		expect(r.stderr).toContain('2/2');
		expect(r.stdout).toMatch(/quiz {6}1 of \d+ points \(1 of \d+ questions right, as graded by the relay\)/);
		expect(r.stdout.indexOf('a.labrec')).toBeLessThan(r.stdout.indexOf('b.labrec'));
	});

	it('judges from the traffic, not from recorded claims: a check record saying 406 passed changes nothing', () => {
		const dir = temp();
		const rec = SessionRecorder.open({ dataDir: dir, tutorVersion: '0.1.0', student: 'Claims Only', keys, writer: { checkpointMs: 0 } });
		rec.onCheck({ lesson: 'htcpcp-status', check: 'page-406', passed: true, detail: 'trust me' });
		rec.close();
		const { result } = checkFile(rec.path, loadCriteria());
		expect(result.verdict).toBe('fail');
		expect(result.criteria.find((c) => c.id === 'page-406')?.pass).toBe(false);
	});
});

describe('tampering is rejected with the record named', () => {
	const cases: [string, () => Uint8Array, RegExp][] = [
		[
			'a flipped byte',
			() => {
				const b = goodBytes.slice();
				const f = frameSpans(b)[4];
				b[f.offset + 60] ^= 0x01;
				return b;
			},
			/REJECTED: tampered at record 4: record 4 at byte \d+ was changed/
		],
		['a dropped record', () => dropFrame(goodBytes, 5), /REJECTED: tampered at record 5: record 5 is missing/],
		['two records swapped', () => swapFrames(goodBytes, 5), /REJECTED: tampered at record 6: record 6 at byte \d+ is out of order/],
		['an inserted copy', () => insertBefore(goodBytes, 6, frameSpans(goodBytes)[5].bytes), /REJECTED: tampered at record 5: record 5 appears twice/],
		['a truncated tail', () => goodBytes.slice(0, goodBytes.length - 40), /REJECTED: cut short at record \d+: .*is cut off.*; records 0-\d+ verify \(signed through \d+\)/]
	];
	for (const [name, make, expected] of cases) {
		it(name, () => {
			const r = checkoff([variant('x.labrec', make()), '--keys', keyFile()]);
			expect(r.code).toBe(1);
			expect(r.stdout).toMatch(expected);
		});
	}

	it('a recording re-signed with another key, when --keys pins the class key', () => {
		const other = generateRecordingKeys();
		const forged = rebuild(goodBytes, (records) => records, other);
		const alone = checkoff([variant('forged.labrec', forged)]);
		expect(alone.code).toBe(0);
		const pinned = checkoff([variant('forged.labrec', forged), '--keys', keyFile()]);
		expect(pinned.code).toBe(1);
		expect(pinned.stdout).toMatch(/REJECTED: signed by a key that is not pinned at record 0/);
	});

	it('an unreadable file is reported, and the others still checked', () => {
		const csv = path.join(temp(), 'out.csv');
		const r = checkoff([variant('junk.labrec', new TextEncoder().encode('not a recording')), good, '--csv', csv]);
		expect(r.code).toBe(1);
		expect(r.stdout).toContain('UNREADABLE');
		expect(csvRows(csv).map((row) => row.verdict)).toEqual(['unreadable', 'pass']);
	});
});

describe('usage errors exit 2 with one line', () => {
	const cases: [string[], RegExp][] = [
		[[], /^checkoff: name the recordings to check/],
		[['--bogus'], /^checkoff: unknown option --bogus; see --help/],
		[['/no/such/file.labrec'], /^checkoff: \/no\/such\/file.labrec does not exist/],
		[['x', '--keys', '/no/such/key.pem'], /^checkoff: --keys \/no\/such\/key.pem: no such file or folder/],
		[['x', '--csv', '/no/such/dir/out.csv'], /^checkoff: --csv \/no\/such\/dir\/out.csv: the folder \/no\/such\/dir does not exist/]
	];
	for (const [args, expected] of cases) {
		it(args.join(' ') || '(no arguments)', () => {
			const r = checkoff(args);
			expect(r.code).toBe(2);
			expect(r.stderr).toMatch(expected);
			expect(r.stderr.trim().split('\n')).toHaveLength(1);
		});
	}
	it('an empty folder', () => {
		const r = checkoff([temp()]);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/holds no \.labrec files/);
	});
});

describe('recorder glue', () => {
	it('a "check my pot" run becomes a check record that feeds pot-conformance', () => {
		const dir = temp();
		const rec = SessionRecorder.open({ dataDir: dir, tutorVersion: '0.1.0', keys, writer: { checkpointMs: 0 } });
		rec.onConformance({ unreachable: false, passed: 2, failed: 0, results: [{ name: 'status-line', pass: true }, { name: 'scheme-400', pass: true }] });
		rec.setStudent('  Ada\u0007 Lovelace  ');
		rec.close();
		expect(path.basename(rec.path)).toMatch(/-Ada-Lovelace-[0-9a-f]{16}\.labrec$/);
		const v = verifyRecording(rec.path);
		expect(v.ok).toBe(true);
		const check = v.records.find((r) => r.type === 'check');
		expect(check?.payload).toMatchObject({ check: 'check-my-pot-run', passed: true, cases: [{ name: 'status-line', pass: true }, { name: 'scheme-400', pass: true }] });
		const criteria = loadCriteria();
		const snap = snapshotOfRecords(v.records, v.meta, criteria);
		expect(evaluateCheck({ id: 'x', check: 'pot-conformance', label: 'x' }, snap)).toMatchObject({ pass: true });
		expect(checkFile(rec.path, criteria).result.student).toBe('Ada Lovelace');
	});

	it('names that cannot be used are refused with a reason', () => {
		const rec = SessionRecorder.open({ dataDir: temp(), tutorVersion: '0.1.0', keys, writer: { checkpointMs: 0 } });
		expect(() => rec.setStudent('   ')).toThrow(/empty/);
		expect(() => rec.setStudent('x'.repeat(101))).toThrow(/longer than 100/);
		expect(() => rec.setStudent(42)).toThrow(/as text/);
		rec.close();
	});
});

describe('a recording process killed with SIGKILL', () => {
	it('verifies up to its last complete record and is reported as cut short', async () => {
		const dataDir = temp();
		const child = spawn(TSX, [path.join(ROOT, 'tests/checkoff/fixtures/record-loop.ts'), dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		let out = '';
		const file = await new Promise<string>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`the recorder did not finish two rounds:\n${out}`)), 60_000);
			child.stdout.on('data', (c: Buffer) => {
				out += c.toString();
				const m = /recording (\S+)\n[\s\S]*round 2\n/.exec(out);
				if (m) {
					clearTimeout(timer);
					process.kill(-(child.pid as number), 'SIGKILL');
					resolve(m[1]);
				}
			});
			child.stderr.on('data', (c: Buffer) => (out += c.toString()));
		});
		await new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.on('exit', () => r())));
		// The killed recorder's pot and web app run in their own process groups: stop them too.
		for (const group of (/programs ([\d ]+)\n/.exec(out)?.[1] ?? '').split(' ').filter(Boolean)) {
			try {
				process.kill(-Number(group), 'SIGTERM');
			} catch {
				/* already gone */
			}
		}
		const v = verifyRecording(file);
		expect(v.complete).toBe(false);
		expect(v.problems).toHaveLength(1);
		expect(v.problems[0].kind).toBe('truncated');
		expect(v.verifiedThrough).toBe(v.problems[0].seq - 1);
		const r = checkoff([file]);
		expect(r.code).toBe(1);
		expect(r.stdout).toMatch(new RegExp(`REJECTED: cut short at record ${v.problems[0].seq}: .*; records 0-${v.verifiedThrough} verify`));
		// What verified before the cut still counts: two full rounds of the checkoff steps.
		expect(r.stdout).toMatch(/pass\s+page-406/);
	}, 90_000);
});
