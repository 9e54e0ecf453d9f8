/**
 * `npm start` is scripts/start.mjs: it makes sure the site is built, then hands
 * its flags to the relay and passes the relay's exit status back.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/process';

const start = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'scripts/start.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });

describe('npm start', () => {
	it('passes its flags to the relay and leaves a built site behind', () => {
		const help = start(['--help']);
		expect(help.status).toBe(0);
		expect(help.stdout).toContain('Usage: npm start -- [options]');
		expect(existsSync(path.join(ROOT, 'build/handler.js'))).toBe(true);
	}, 200_000);

	it('passes a usage error back as one line and status 2', () => {
		const bad = start(['--bogus']);
		expect(bad.status).toBe(2);
		expect(bad.stderr.trim().split('\n')).toEqual(["relay: Unknown option '--bogus' (see --help)"]);
	}, 200_000);
});
