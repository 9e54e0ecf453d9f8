/**
 * The relay with programs that are not this project's: the course's Python
 * pot (a stand-in in tests/fixtures/python-pot/) plugged in with --pot-cmd,
 * a web app command that fails at once, restart from the browser, and a
 * flooding program that must not freeze the other terminals.
 */

import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange } from '../../server/client/exchange';
import { RELAY_PROTOCOL_VERSION, type TerminalStatus, type TrafficMessage } from '../../src/lib/relay-protocol/index';
import { ROOT, TSX, freePort } from '../helpers/process';
import { RelayClient, startRelay, type RunningRelay } from './client';

const POT = path.join(ROOT, 'tests/fixtures/python-pot/pot.py');

let relay: RunningRelay;
let client: RelayClient;

beforeAll(async () => {
	relay = await startRelay([
		'--pot-cmd',
		`python3 -u ${POT} --port {port}`,
		'--webapp-cmd',
		'echo "no web app here" >&2; exit 3'
	]);
	client = await RelayClient.connect(relay);
}, 40_000);

afterAll(async () => {
	client?.close();
	await relay?.program.stop('SIGTERM');
});

/** Every status the page learnt for a terminal: from `hello` and from later updates. */
const statuses = (id: string) =>
	client.messages
		.flatMap((m) => (m.type === 'hello' ? m.terminals : m.type === 'term-status' ? [m] : []))
		.filter((m): m is TerminalStatus => m.id === id);

describe('relay with other programs', () => {
	it('runs the Python pot from --pot-cmd and taps its HTCPCP', async () => {
		await client.until(() => client.terminalText('pot').includes('Listening for connections on 127.0.0.1:'), 'the Python pot');
		const result = await exchange(
			{ host: '127.0.0.1', port: relay.potTap },
			{ method: 'BREW', target: 'coffee://ducky', headers: [{ name: 'Content-Type', value: 'application/coffee-pot-command' }], body: 'start' }
		);
		expect(result.response.status).toBe(200);
		const seen = await client.until((all) => {
			const ms = all.filter((m): m is TrafficMessage => m.type === 'message');
			return ms.some((m) => m.http?.kind === 'response') ? ms : undefined;
		}, 'the Python pot reply');
		expect(seen.map((m) => m.http?.startLine)).toEqual(['BREW coffee://ducky HTTP/1.1', 'HTCPCP/1.1 200 OK']);
		expect(seen[1].http?.headers).toContainEqual({ name: 'Server', value: 'PythonPot' });
		expect(seen[0].client.port).toBe(result.localPort);
		await client.until(() => client.terminalText('pot').includes('BREW start'), "the pot's own log line");
	}, 30_000);

	it('says which command failed to start and why, and keeps running', async () => {
		const failed = await client.until(() => statuses('webapp').find((s) => s.state === 'failed'), 'the web app failure');
		expect(failed.exitCode).toBe(3);
		expect(failed.note).toContain('exit 3');
		expect(failed.note).toContain('no web app here');
		expect(relay.program.output()).toMatch(/relay: the web app ".*exit 3" failed to start: it exited with status 3 \(no web app here\)/);
		const res = await fetch(`${relay.base}/api/status?token=${relay.token}`);
		expect(res.status).toBe(200);
	}, 30_000);

	it('restarts a program from the browser', async () => {
		const before = statuses('pot').filter((s) => s.state === 'running').length;
		client.send({ v: RELAY_PROTOCOL_VERSION, type: 'term-restart', id: 'pot' });
		const exited = await client.until(() => statuses('pot').find((s) => s.state === 'exited'), 'the pot to stop');
		expect(exited.signal ?? exited.exitCode).toBeTruthy();
		await client.until(() => statuses('pot').filter((s) => s.state === 'running').length > before, 'the pot to run again');
		await client.until(
			() => client.terminalText('pot').split('Listening for connections on').length > 2,
			'the restarted pot to listen'
		);
	}, 30_000);

	it('keeps the shell answering while another terminal floods', async () => {
		client.send({ v: RELAY_PROTOCOL_VERSION, type: 'term-input', id: 'shell', data: 'head -c 20000000 /dev/zero | tr "\\0" x; echo; echo flood-$((40 + 2))-done\r' });
		// The pot terminal is separate from the flooding shell: its program still answers.
		const result = await exchange(
			{ host: '127.0.0.1', port: relay.potTap },
			{ method: 'GET', target: 'coffee://ducky' }
		);
		expect(result.response.status).toBe(200);
		await client.until(() => client.terminalText('shell').includes('flood-42-done'), 'the flood to finish', 60_000);
		expect(client.terminalText('shell').length).toBeGreaterThan(20_000_000);
	}, 90_000);
});

describe('relay start-up errors', () => {
	it('names a port in use and the flag that changes it', async () => {
		const blocker = net.createServer().listen(0, '127.0.0.1');
		await new Promise((r) => blocker.once('listening', r));
		const busy = (blocker.address() as net.AddressInfo).port;
		const child = spawn(TSX, ['server/relay/main.ts', '--port', String(await freePort()), '--pot-port', String(busy), '--webapp-port', '0'], {
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let err = '';
		child.stderr.on('data', (d) => (err += d));
		const code = await new Promise((r) => child.on('exit', r));
		blocker.close();
		expect(code).toBe(1);
		expect(err.trim()).toBe(`relay: port ${busy} is in use (the pot's tap); stop whatever uses it or choose another with --pot-port N`);
	}, 30_000);

	it('rejects a bad flag in one line', async () => {
		const child = spawn(TSX, ['server/relay/main.ts', '--port', 'lots'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
		let err = '';
		child.stderr.on('data', (d) => (err += d));
		const code = await new Promise((r) => child.on('exit', r));
		expect(code).toBe(2);
		expect(err).toBe('relay: --port must be a port number from 0 to 65535, not "lots"\n');
	}, 30_000);
});
