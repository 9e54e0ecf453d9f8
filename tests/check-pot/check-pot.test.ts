/**
 * The "check my pot" battery against the project's own pot (everything
 * passes), against broken Python pots (the right cases fail, with reasons),
 * and the CLI's output and exit codes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATTERY, selectCases } from '../../server/check-pot/battery';
import { reportAsCheck, runBattery, type PotReport } from '../../server/check-pot/run';
import { ROOT, freePort, startProgram, type Started } from '../helpers/process';
import { runCli, startBrokenPot, type PythonPot } from './helpers';

const SCHEME_CASES = BATTERY.filter((c) => c.name.startsWith('scheme:')).length;
const failedNames = (report: PotReport) => report.results.filter((r) => !r.pass).map((r) => r.name);

describe('the battery', () => {
	it('has the lab cases in an order that starts and ends with an empty pot', () => {
		const names = BATTERY.map((c) => c.name);
		expect(SCHEME_CASES).toBe(23);
		expect(new Set(names).size).toBe(names.length);
		expect(names.indexOf('brew-stop-first')).toBeLessThan(names.indexOf('get-idle'));
		expect(names.indexOf('get-idle')).toBeLessThan(names.indexOf('brew-start'));
		expect(names.indexOf('brew-start')).toBeLessThan(names.indexOf('brew-busy'));
		expect(names.at(-1)).toBe('brew-stop-end');
		for (const c of BATTERY) expect(c.requirement.length, c.name).toBeGreaterThan(20);
	});

	it('--only selects a case by name or a group by prefix', () => {
		expect(selectCases(['scheme']).cases).toHaveLength(23);
		expect(selectCases(['brew-busy', 'when']).cases.map((c) => c.name)).toEqual(['brew-busy', 'when']);
		expect(selectCases(['nope']).unknown).toEqual(['nope']);
	});
});

describe('against the project pot', () => {
	let pot: Started;
	let port: number;
	let data: string;

	beforeAll(async () => {
		const script = path.join(ROOT, 'server/pot/main.ts');
		for (let i = 0; i < 60 && !fs.existsSync(script); i++) await new Promise((r) => setTimeout(r, 1000));
		data = fs.mkdtempSync(path.join(os.tmpdir(), 'check-pot-'));
		pot = await startProgram('server/pot/main.ts', ['--port', '0', '--local', '--data', data, '--brew-seconds', '2'], /Listening for connections on (\S+):(\d+)/);
		port = Number(pot.match[2]);
	}, 90_000);
	afterAll(async () => {
		await pot?.stop();
		if (data) fs.rmSync(data, { recursive: true, force: true });
	});

	it('passes every case', async () => {
		const report = await runBattery({ host: '127.0.0.1', port }, BATTERY, { timeoutMs: 10_000 });
		expect(report.results.filter((r) => !r.pass).map((r) => `${r.name}: ${r.reason}`)).toEqual([]);
		expect(report.passed).toBe(BATTERY.length);
		const busy = report.results.find((r) => r.name === 'brew-busy');
		expect(busy?.response?.status).toBeGreaterThanOrEqual(400);
		expect(busy?.response?.text).toMatch(/^HTCPCP\/1\.1 4\d\d /);
		expect(report.results[0].request.text).toMatch(/^GET coffee:\/\/ducky HTTP\/1\.1\r\n/);
		expect(reportAsCheck(report)).toMatchObject({ check: 'check-my-pot', passed: true, detail: `${BATTERY.length} of ${BATTERY.length} cases passed at 127.0.0.1:${port}` });
	}, 60_000);

	it('the CLI prints each case and exits 0', async () => {
		const run = await runCli(['--to', `127.0.0.1:${port}`, '--timeout', '10000']);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		expect(run.stdout).toContain(`All ${BATTERY.length} cases passed.`);
		expect(run.stdout).toMatch(/PASS {2}addition-chamomile\n.*\n {6}request {3}BREW coffee:\/\/ducky HTTP\/1\.1\n {6}response {2}HTCPCP\/1\.1 406 Not Acceptable\n {6}why {7}406 listing cream/);
		expect(run.stdout).not.toContain('FAIL');
	}, 60_000);

	it('--json --only prints a report for just those cases, in battery order', async () => {
		const run = await runCli(['--to', `127.0.0.1:${port}`, '--json', '--only', 'scheme,method-milk']);
		expect(run.code).toBe(0);
		const report = JSON.parse(run.stdout) as PotReport;
		expect(report.results.map((r) => r.name)).toEqual(['method-milk', ...BATTERY.filter((c) => c.name.startsWith('scheme:')).map((c) => c.name)]);
		expect(report.results.find((r) => r.name === 'method-milk')?.response?.statusLine).toBe('HTCPCP/1.1 501 Not Implemented');
	}, 60_000);
});

describe('against broken pots', () => {
	const pots: PythonPot[] = [];
	afterAll(async () => {
		await Promise.all(pots.map((p) => p.stop()));
	});
	const start = async (mode: string) => {
		const pot = await startBrokenPot(mode);
		pots.push(pot);
		return pot;
	};

	it('an unfinished pot that answers only {} fails every case with a clear reason, and the CLI exits 1', async () => {
		const pot = await start('unfinished');
		const run = await runCli(['--to', `127.0.0.1:${pot.port}`, '--json']);
		expect(run.code).toBe(1);
		const report = JSON.parse(run.stdout) as PotReport;
		expect(report.unreachable).toBe(false);
		expect(report.passed).toBe(0);
		expect(report.failed).toBe(BATTERY.length);
		for (const r of report.results) {
			expect(r.error?.kind, r.name).toBe('protocol');
			expect(r.reason).toMatch(/status line \(e\.g\. HTCPCP\/1\.1 200 OK\)/);
		}
		const text = await runCli(['--to', `127.0.0.1:${pot.port}`, '--only', 'status-line']);
		expect(text.code).toBe(1);
		expect(text.stdout).toMatch(/FAIL {2}status-line\n/);
		expect(text.stdout).toContain('response  (none: protocol)');
		expect(text.stdout).toContain('0 of 1 cases passed; 1 failed: status-line');
		expect(text.stderr).toBe('');
	}, 60_000);

	it('a pot that never checks the scheme fails only the caffeine:// case', async () => {
		const pot = await start('no-scheme-check');
		const report = await runBattery({ host: '127.0.0.1', port: pot.port }, BATTERY, { timeoutMs: 10_000 });
		expect(failedNames(report)).toEqual(['scheme-caffeine']);
		const bad = report.results.find((r) => r.name === 'scheme-caffeine');
		expect(bad?.reason).toMatch(/^expected status 400, got 200/);
		expect(bad?.request.startLine).toBe('GET caffeine://ducky HTTP/1.1');
		expect(reportAsCheck(report)).toMatchObject({ passed: false, detail: expect.stringMatching(/; failed: scheme-caffeine$/) });
	}, 60_000);

	it('a pot that knows only coffee:// fails every other coffee scheme', async () => {
		const pot = await start('coffee-only');
		const report = await runBattery({ host: '127.0.0.1', port: pot.port }, BATTERY, { timeoutMs: 10_000 });
		const expected = BATTERY.filter((c) => c.name.startsWith('scheme:') && c.name !== 'scheme:coffee').map((c) => c.name);
		expect(failedNames(report)).toEqual(expected);
		expect(report.results.find((r) => r.name === 'scheme:koffie')?.reason).toMatch(/^expected status 200, got 400/);
	}, 60_000);

	it('a pot that never answers fails with the timeout named', async () => {
		const pot = await start('silent');
		const run = await runCli(['--to', `127.0.0.1:${pot.port}`, '--only', 'status-line', '--timeout', '300']);
		expect(run.code).toBe(1);
		expect(run.stdout).toContain('no complete response within 300 ms');
	}, 60_000);
});

describe('CLI errors', () => {
	it('nothing listening exits 3 with one line naming the address', async () => {
		const port = await freePort();
		const run = await runCli(['--to', `127.0.0.1:${port}`]);
		expect(run.code).toBe(3);
		const lines = run.stderr.trim().split('\n');
		expect(lines).toHaveLength(1);
		expect(lines[0]).toMatch(new RegExp(`^check-pot: nothing is listening at 127\\.0\\.0\\.1:${port} .*--to`));
	}, 60_000);

	it.each([
		[['--to', 'localhost'], /--to must be HOST:PORT/],
		[['--to', '127.0.0.1:70000'], /port must be from 1 to 65535/],
		[['--only', 'nosuch'], /no case is named "nosuch"; see the names with --list/],
		[['--timeout', 'soon'], /--timeout must be a whole number/],
		[['--bogus'], /Unknown option '--bogus'.*see --help/]
	])('%j is a usage error: exit 2, one line', async (args, message) => {
		const run = await runCli(args as string[]);
		expect(run.code).toBe(2);
		expect(run.stdout).toBe('');
		expect(run.stderr.trim().split('\n')).toHaveLength(1);
		expect(run.stderr).toMatch(message as RegExp);
	}, 60_000);
});
