/**
 * `--port 0` (and 0 for the taps): the OS picks free ports, the ready line
 * names the real ones, and a page served from the real port may open the
 * websocket (its Origin carries the real port, not 0).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProgram, type Started } from '../helpers/process';
import { RelayClient, type RunningRelay } from './client';

let program: Started;
let relay: RunningRelay;

beforeAll(async () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-port0-'));
	program = await startProgram(
		'server/relay/main.ts',
		['--port', '0', '--pot-port', '0', '--webapp-port', '0', '--data', dataDir],
		/Tutor ready at (http:\/\/\S+)\/\?token=(\S+)/,
		{ timeoutMs: 30_000 }
	);
	const port = Number(new URL(program.match[1]).port);
	relay = { program, base: program.match[1], token: program.match[2], port, potTap: 0, webappTap: 0, dataDir };
}, 40_000);

afterAll(async () => {
	await program?.stop('SIGTERM');
});

describe('the relay on OS-chosen ports', () => {
	it('prints the real port and accepts a websocket from a page it served there', async () => {
		expect(relay.port).toBeGreaterThan(0);
		const client = await RelayClient.connect(relay);
		const hello = await client.until((ms) => ms.find((m) => m.type === 'hello'), 'hello');
		expect(hello.type === 'hello' && hello.ports.relay).toBe(relay.port);
		expect(hello.type === 'hello' && hello.ports.pot).toBeGreaterThan(0);
		client.close();
		await expect(RelayClient.connect(relay, { origin: 'http://127.0.0.1:0' })).rejects.toThrow('HTTP 403');
	});

	it('puts check-pot next to htcpcp in the lab shell', () => {
		const bin = path.join(relay.dataDir, 'lab', 'bin');
		expect(fs.readFileSync(path.join(bin, 'check-pot'), 'utf8')).toContain('server/check-pot/main.ts');
		expect(fs.statSync(path.join(bin, 'check-pot')).mode & 0o111).not.toBe(0);
	});
});
