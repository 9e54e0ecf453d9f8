/**
 * End to end: the relay as `npm start` runs it, with this project's pot and
 * web app behind the taps, driven the way the tutor page and a student do.
 */

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELAY_PROTOCOL_VERSION, type ServerMessage, type TrafficMessage } from '../../src/lib/relay-protocol/index';
import { descendants, RelayClient, running, startRelay, type RunningRelay } from './client';

const run = promisify(execFile);

let relay: RunningRelay;
let client: RelayClient;

beforeAll(async () => {
	relay = await startRelay(['--brew-seconds', '2']);
	client = await RelayClient.connect(relay);
}, 40_000);

afterAll(async () => {
	client?.close();
	await relay?.program.stop('SIGKILL');
});

const messages = (all: ServerMessage[]) => all.filter((m): m is TrafficMessage => m.type === 'message');

describe('relay end to end', () => {
	it('streams the pot and web app consoles and types into the shell', async () => {
		await client.until(() => client.terminalText('pot').includes('Listening for connections on'), 'the pot to start');
		await client.until(() => client.terminalText('webapp').includes('Coffee web app on'), 'the web app to start');
		const hello = client.messages.find((m) => m.type === 'hello');
		expect(hello).toMatchObject({ ports: { pot: relay.potTap, webapp: relay.webappTap, relay: relay.port } });
		client.send({ v: RELAY_PROTOCOL_VERSION, type: 'term-input', id: 'shell', data: 'echo "shell says $((6 * 7))"\r' });
		await client.until(() => client.terminalText('shell').includes('shell says 42'), 'the shell to answer');
		expect(client.invalid).toEqual([]);
	}, 40_000);

	it('turns a brew made with curl through the taps into annotated HTTP and HTCPCP messages, in order', async () => {
		const before = messages(client.messages).length;
		const url = `http://127.0.0.1:${relay.webappTap}/?method=brew&message=start&additions=cream&pots=ducky`;
		const { stdout } = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', url]);
		expect(stdout).toBe('302');
		const seen = await client.until((all) => {
			const fresh = messages(all).slice(before);
			return fresh.some((m) => m.http?.kind === 'response' && m.http.protocol === 'HTTP') ? fresh : undefined;
		}, 'the HTTP response to the brew');
		const httpRequest = seen.findIndex((m) => m.http?.kind === 'request' && m.http.target?.startsWith('/?method=brew'));
		const brew = seen.findIndex((m) => m.http?.method === 'BREW');
		const brewReply = seen.findIndex((m) => m.http?.kind === 'response' && m.http.protocol === 'HTCPCP' && m.answers === seen[brew]?.id);
		const httpReply = seen.findIndex((m) => m.http?.kind === 'response' && m.http.status === 302);
		expect(httpRequest).toBeGreaterThanOrEqual(0);
		expect(brew).toBeGreaterThan(httpRequest);
		expect(brewReply).toBeGreaterThan(brew);
		expect(httpReply).toBeGreaterThan(brewReply);

		const [req, htcpcp, pot, reply] = [seen[httpRequest], seen[brew], seen[brewReply], seen[httpReply]];
		expect(req).toMatchObject({ from: 'client', server: { port: relay.webappTap }, label: 'browser → web app' });
		expect(htcpcp).toMatchObject({ from: 'client', server: { port: relay.potTap } });
		expect(htcpcp.http?.startLine).toBe('BREW coffee://ducky HTTP/1.1');
		expect(htcpcp.http?.headers.some((h) => /^accept-additions$/i.test(h.name) && /cream/.test(h.value))).toBe(true);
		expect(htcpcp.http?.body.trim()).toBe('start');
		expect(htcpcp.annotation).toMatchObject({ startLine: { method: { rfc: expect.stringContaining('2324') } } });
		expect(pot.http).toMatchObject({ protocol: 'HTCPCP', status: 200 });
		expect(pot.from).toBe('server');
		expect(reply.http?.headers.find((h) => /^location$/i.test(h.name))?.value).toBeTruthy();
		// The web app's connection to the pot comes from another port than curl's.
		expect(htcpcp.client.port).not.toBe(req.client.port);
	}, 30_000);

	it('sends a burst of traffic to a page in batch frames, every event in order', async () => {
		const watcher = await RelayClient.connect(relay);
		try {
			await watcher.until((all) => all.some((m) => m.type === 'hello'), 'hello');
			const framesBefore = watcher.frames;
			const eventsBefore = watcher.messages.length;
			const socket = net.connect({ host: '127.0.0.1', port: relay.potTap, noDelay: true });
			await new Promise((resolve) => socket.once('connect', resolve));
			// Forty separate writes in one go: far more events than flushes.
			for (let i = 0; i < 40; i++) socket.write(`GET coffee://ducky/${i} HTTP/1.1\r\nHost: ducky\r\n\r\n`);
			const mine = (all: ServerMessage[]) =>
				all.slice(eventsBefore).filter((m) => m.type === 'traffic' && m.event.kind === 'data' && m.event.from === 'client');
			await watcher.until((all) => {
				const text = mine(all).map((m) => (m.type === 'traffic' && m.event.kind === 'data' ? Buffer.from(m.event.bytes, 'base64').toString() : '')).join('');
				return text.includes('coffee://ducky/39 ') ? true : undefined;
			}, 'all forty requests as traffic events');
			socket.destroy();
			const sent = mine(watcher.messages)
				.map((m) => (m.type === 'traffic' && m.event.kind === 'data' ? Buffer.from(m.event.bytes, 'base64').toString() : ''))
				.join('');
			expect(sent).toBe(Array.from({ length: 40 }, (_, i) => `GET coffee://ducky/${i} HTTP/1.1\r\nHost: ducky\r\n\r\n`).join(''));
			const events = watcher.messages.length - eventsBefore;
			expect(watcher.invalid).toEqual([]);
			expect(watcher.frames - framesBefore).toBeLessThan(events);
		} finally {
			watcher.close();
		}
	});

	it('refuses the API and websocket without the token (401) and the websocket from another origin (403)', async () => {
		const anonymous = await fetch(`${relay.base}/api/capture.pcapng`);
		expect(anonymous.status).toBe(401);
		const wrong = await fetch(`${relay.base}/api/status?token=not-the-token`);
		expect(wrong.status).toBe(401);
		await expect(RelayClient.connect(relay, { token: null })).rejects.toThrow('HTTP 401');
		await expect(RelayClient.connect(relay, { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');

		// The page trades the token for an HttpOnly cookie, which then opens the API.
		const traded = await fetch(`${relay.base}/?token=${relay.token}`, { redirect: 'manual' });
		expect(traded.status).toBe(303);
		expect(traded.headers.get('location')).toBe('/');
		const cookie = traded.headers.get('set-cookie') ?? '';
		expect(cookie).toMatch(/HttpOnly/);
		expect(cookie).toMatch(/SameSite=Strict/);
		const withCookie = await fetch(`${relay.base}/api/status`, { headers: { cookie: cookie.split(';')[0] } });
		expect(withCookie.status).toBe(200);
	});

	it('answers an invalid websocket message with an error and keeps going', async () => {
		const count = client.messages.filter((m) => m.type === 'error').length;
		client.send('not json');
		client.send({ v: RELAY_PROTOCOL_VERSION, type: 'term-resize', id: 'pot', cols: 'wide', rows: 10 });
		client.send({ v: 99, type: 'sync' });
		const errors = await client.until((all) => {
			const e = all.filter((m) => m.type === 'error').slice(count);
			return e.length >= 3 ? e : undefined;
		}, 'three errors');
		expect(errors.map((e) => (e.type === 'error' ? e.code : ''))).toEqual(['invalid-json', 'invalid-message', 'invalid-message']);
		client.send({ v: RELAY_PROTOCOL_VERSION, type: 'term-resize', id: 'shell', cols: 120, rows: 40 });
		client.send({ v: RELAY_PROTOCOL_VERSION, type: 'term-input', id: 'shell', data: 'stty size\r' });
		await client.until(() => client.terminalText('shell').includes('40 120'), 'the resized shell');
	}, 30_000);

	it('downloads the capture as pcapng that tshark reads', async () => {
		const res = await fetch(`${relay.base}/api/capture.pcapng?token=${relay.token}`);
		expect(res.status).toBe(200);
		const file = path.join(relay.dataDir, 'download.pcapng');
		fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
		const { stdout } = await run('tshark', ['-r', file, '-T', 'fields', '-e', 'tcp.dstport', '-e', 'tcp.payload'], {
			maxBuffer: 64 * 1024 * 1024
		});
		const lines = stdout.trim().split('\n');
		expect(lines.some((l) => l.startsWith(`${relay.potTap}\t`))).toBe(true);
		expect(lines.some((l) => l.startsWith(`${relay.webappTap}\t`))).toBe(true);
		const brewHex = Buffer.from('BREW coffee://ducky').toString('hex');
		expect(lines.some((l) => l.includes(brewHex))).toBe(true);
	}, 30_000);

	it('keeps scroll-back for a page that connects later', async () => {
		const late = await RelayClient.connect(relay);
		await late.until(() => late.terminalText('pot').includes('Listening for connections on'), 'the pot scroll-back');
		expect(late.messages.some((m) => m.type === 'term-data' && m.replay)).toBe(true);
		// The backlog of annotated messages follows the scroll-back.
		await late.until((all) => all.some((m) => m.type === 'message' && m.http?.method === 'BREW'), 'the BREW from the backlog');
		late.close();
	});

	it('stops every child and grandchild and frees every port on SIGTERM', async () => {
		const pid = relay.program.child.pid as number;
		const tree = descendants(pid);
		expect(tree.length).toBeGreaterThanOrEqual(4); // tsx, the relay, and at least the pot and web app
		const code = await relay.program.stop('SIGTERM');
		expect(code).toBe(0);
		const deadline = Date.now() + 10_000;
		while (tree.some(running) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
		expect(tree.filter(running)).toEqual([]);
		for (const port of [relay.port, relay.potTap, relay.webappTap]) {
			await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
		}
	}, 30_000);
});
