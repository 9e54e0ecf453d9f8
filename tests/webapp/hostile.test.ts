/** Malformed, oversized and unknown-method requests over a real socket: a page, never a crash. */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/webapp/app';
import { loadAssets } from '../../server/webapp/static';
import { freePort } from '../helpers/process';

let server: http.Server;
let port: number;

beforeAll(async () => {
	// No pot is needed for these: nothing here reaches the router's pot calls.
	const app = createApp({ pot: { host: '127.0.0.1', port: await freePort() }, potTimeoutMs: 2000, assets: loadAssets() });
	server = http.createServer(app.handle);
	server.on('clientError', app.clientError);
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	port = (server.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function raw(bytes: string): Promise<string> {
	return new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(bytes));
		let received = '';
		socket.on('data', (c: Buffer) => (received += c.toString('utf8')));
		socket.on('close', () => resolve(received));
		socket.on('error', () => {});
		socket.setTimeout(15_000, () => socket.destroy());
	});
}

describe('hostile input', () => {
	it('an HTCPCP method sent to the web app: 405 page with Allow', async () => {
		const reply = await raw('BREW / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nstart');
		expect(reply).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
		expect(reply).toContain('Allow: GET, HEAD\r\n');
		expect(reply).toContain('<span class="code">405</span>');
	});

	it('a malformed header line: 400 page', async () => {
		const reply = await raw('GET / HTTP/1.1\r\nHost x\r\n\r\n');
		expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
		expect(reply).toContain('text/html; charset=utf-8');
	});

	it('a huge header: 431 page, and the server still answers afterwards', async () => {
		const reply = await raw(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`);
		expect(reply).toMatch(/^HTTP\/1\.1 431 /);
		const after = await raw('GET /assets/robots.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
		expect(after).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
	});

	it('many additions or a very long one: 400', async () => {
		const many = await raw(`GET /?method=brew&message=start${'&additions=cream'.repeat(40)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
		expect(many).toMatch(/^HTTP\/1\.1 400 /);
		const long = await raw(`GET /?method=brew&message=start&additions=${'x'.repeat(200)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
		expect(long).toMatch(/^HTTP\/1\.1 400 /);
	});
});
