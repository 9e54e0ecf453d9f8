/** The htcpcp CLI against a real pot: output, exit codes and one-line errors. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, TSX } from '../../tests/helpers/process';
import { startPot, type RunningPot } from '../../tests/pot/harness';

let pot: RunningPot;
beforeAll(async () => {
	pot = await startPot(['--brew-seconds', '30']);
});
afterAll(async () => {
	await pot?.stop();
	if (pot) fs.rmSync(pot.dataDir, { recursive: true, force: true });
});

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

function htcpcp(...args: string[]): Promise<Run> {
	return new Promise((resolve) => {
		const child = spawn(TSX, ['server/client/main.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (c) => (stdout += c));
		child.stderr.on('data', (c) => (stderr += c));
		child.on('exit', (code) => resolve({ code, stdout, stderr }));
	});
}

const to = () => ['--to', `127.0.0.1:${pot.port}`];

describe('htcpcp CLI', () => {
	it('sends GET with the default Content-Type and prints request, blank line, response', async () => {
		const r = await htcpcp('GET', 'coffee://ducky', ...to());
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(
			/^GET coffee:\/\/ducky HTTP\/1\.1\nContent-Type: application\/coffee-pot-command\n\nHTCPCP\/1\.1 200 OK\nServer: CoffeePot\nDate: .+ GMT\nContent-Type: message\/coffeepot\nContent-Length: 2\n\n\{\}\n$/
		);
	});

	it('brews with a body and headers, exit 0; exit 1 for a refusal', async () => {
		const brew = await htcpcp('BREW', 'coffee://ducky', '-H', 'Accept-Additions: cream', '-d', 'start', ...to());
		expect(brew.code).toBe(0);
		expect(brew.stdout).toContain('Content-Length: 5\n\nstart\n\nHTCPCP/1.1 200 OK');
		expect(brew.stdout).toContain('Brewing coffee with cream');
		const busy = await htcpcp('BREW', 'coffee://ducky', '-d', 'start', ...to());
		expect(busy.code).toBe(1);
		expect(busy.stdout).toContain('HTCPCP/1.1 409 Conflict');
		expect(busy.stdout).toMatch(/Retry-After: \d+/);
		const teapot = await htcpcp('BREW', 'coffee://ducky', '-H', 'Use-Pot: tea', '-d', 'stop', ...to());
		expect(teapot.code).toBe(1);
		expect(teapot.stdout).toContain("HTCPCP/1.1 418 I'm a teapot");
		expect((await htcpcp('BREW', 'coffee://ducky', '-d', 'stop', ...to())).code).toBe(0);
	});

	it('uses a given Content-Type instead of the default, or none with an empty one', async () => {
		const wrong = await htcpcp('GET', 'coffee://ducky', '-H', 'Content-Type: application/tea-pot-command', ...to());
		expect(wrong.code).toBe(1);
		expect(wrong.stdout).not.toContain('application/coffee-pot-command\n\n');
		expect(wrong.stdout).toContain('HTCPCP/1.1 415 Unsupported Media Type');
		const none = await htcpcp('PROPFIND', 'coffee://ducky', '-H', 'Content-Type:', ...to());
		expect(none.code).toBe(0);
		expect(none.stdout.startsWith('PROPFIND coffee://ducky HTTP/1.1\n\nHTCPCP/1.1 200 OK')).toBe(true);
	});

	it('prints the exact bytes with --raw', async () => {
		const r = await htcpcp('WHEN', 'coffee://ducky', '--raw', ...to());
		expect(r.code).toBe(0);
		expect(r.stdout.startsWith('WHEN coffee://ducky HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\n\r\n\nHTCPCP/1.1 200 OK\r\n')).toBe(true);
		expect(r.stdout.endsWith('\r\n\r\nNo milk is pouring')).toBe(true);
	});

	it('exits 3 with one line when nothing listens', async () => {
		const r = await htcpcp('GET', 'coffee://ducky', '--to', '127.0.0.1:1');
		expect(r.code).toBe(3);
		expect(r.stdout).toBe('');
		expect(r.stderr.trim().split('\n')).toHaveLength(1);
		expect(r.stderr).toContain('127.0.0.1:1');
	});

	it('exits 2 with one line for usage errors', async () => {
		for (const args of [['GET'], ['GET', 'ducky'], ['GET', 'coffee://ducky', '--to', 'nowhere'], ['GET', 'coffee://ducky', '-H', 'no colon'], ['GET', 'coffee://ducky', '--bogus']]) {
			const r = await htcpcp(...args);
			expect(r.code, args.join(' ')).toBe(2);
			expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
			expect(r.stderr).not.toMatch(/\n\s+at /);
		}
	});
});
