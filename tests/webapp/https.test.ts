/** HTTPS: a certificate generated at start, and the lab's own made with openssl. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type Started } from '../helpers/process';
import { request, startPot, startWebapp } from './helpers';

let pot: Started;
let potPort: number;
const started: Started[] = [];

beforeAll(async () => {
	potPort = await freePort();
	pot = await startPot(potPort, 30);
});
afterAll(async () => {
	for (const s of started) await s.stop();
	await pot?.stop();
});

function peerFingerprint(port: number): Promise<{ fingerprint256: string; altNames: string }> {
	return new Promise((resolve, reject) => {
		const socket = tls.connect({ host: '127.0.0.1', port, servername: 'localhost', rejectUnauthorized: false }, () => {
			const cert = socket.getPeerCertificate();
			socket.end();
			resolve({ fingerprint256: cert.fingerprint256, altNames: cert.subjectaltname ?? '' });
		});
		socket.on('error', reject);
	});
}

/** Plain HTTP to the TLS port: whatever comes back must not be a page. */
function plainHttp(port: number): Promise<string> {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
		let received = '';
		socket.on('data', (c: Buffer) => (received += c.toString('latin1')));
		socket.on('close', () => resolve(received));
		socket.on('error', () => {});
		socket.setTimeout(15_000, () => socket.destroy());
	});
}

describe('--https with a generated certificate', () => {
	it('serves pages over TLS, prints the certificate fingerprint, and gives plain HTTP no page', async () => {
		const { app, base } = await startWebapp(['--https', '--pot', `127.0.0.1:${potPort}`]);
		started.push(app);
		expect(base).toMatch(/^https:/);
		const printed = /SHA-256 fingerprint: ([0-9A-F:]+)/.exec(app.output())?.[1];
		const port = Number(new URL(base).port);
		const peer = await peerFingerprint(port);
		expect(peer.fingerprint256).toBe(printed);
		expect(peer.altNames).toContain('DNS:localhost');
		expect(peer.altNames).toContain('IP Address:127.0.0.1');

		const home = await request(base + '/');
		expect(home.status).toBe(200);
		expect(home.body).toContain('The pot is idle');
		const teapot = await request(base + '/?method=brew&message=start&pots=tea');
		expect(teapot.status).toBe(418);

		const plain = await plainHttp(port);
		expect(plain).not.toContain('HTTP/1.1 200');
		expect(plain).not.toContain('<html');
	});
});

describe('--cert and --key made with openssl', () => {
	it('serves with the custom certificate, which a client trusting it verifies', async () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), 'webapp-cert-'));
		const cert = path.join(dir, 'cert.pem');
		const key = path.join(dir, 'key.pem');
		execFileSync('openssl', [
			'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '2',
			'-keyout', key, '-out', cert, '-subj', '/CN=localhost',
			'-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'
		], { stdio: 'ignore' });
		const { app, base } = await startWebapp(['--cert', cert, '--key', key, '--pot', `127.0.0.1:${potPort}`]);
		started.push(app);
		expect(base).toMatch(/^https:/);
		const ca = readFileSync(cert, 'utf8');
		const home = await request(base + '/', { ca });
		expect(home.status).toBe(200);
		const css = await request(base + '/assets/styles.css', { ca });
		expect(css.status).toBe(200);
		const again = await request(base + '/assets/styles.css', { ca, headers: { 'If-None-Match': css.headers.etag as string } });
		expect(again.status).toBe(304);
		const printed = /SHA-256 fingerprint: ([0-9A-F:]+)/.exec(app.output())?.[1];
		expect((await peerFingerprint(Number(new URL(base).port))).fingerprint256).toBe(printed);
	});
});
