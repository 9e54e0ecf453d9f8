/** The pot down or silent: 502 / 504 pages, and recovery when the pot comes back. */
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, type Started } from '../helpers/process';
import { eventually, request, startPot, startWebapp } from './helpers';

const started: Started[] = [];
afterAll(async () => {
	for (const s of started) await s.stop();
});

describe('pot unreachable', () => {
	it('answers 502 naming the address and how to start the pot, then recovers', async () => {
		const potPort = await freePort();
		const { app, base } = await startWebapp(['--pot', `127.0.0.1:${potPort}`]);
		started.push(app);
		for (const path of ['/', '/log', '/?method=propfind', '/?method=brew&message=start', '/test-418']) {
			const page = await request(base + path);
			if (path === '/test-418') {
				expect(page.status).toBe(404);
				continue;
			}
			expect(page.status, path).toBe(502);
			expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
			expect(page.body).toContain('<span class="code">502</span> Bad Gateway');
			expect(page.body).toContain(`127.0.0.1:${potPort}`);
			expect(page.body).toContain(`npm run pot -- --local --port ${potPort}`);
		}
		const pot = await startPot(potPort, 30);
		started.push(pot);
		const recovered = await eventually(async () => (await request(base + '/')).status === 200);
		expect(recovered).toBe(true);
		expect((await request(base + '/')).body).toContain('The pot is idle');
	});

	it('answers 504 when the pot accepts the connection but never answers', async () => {
		const sockets: net.Socket[] = [];
		const silent = net.createServer((s) => sockets.push(s));
		await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
		const port = (silent.address() as net.AddressInfo).port;
		try {
			const { app, base } = await startWebapp(['--pot', `127.0.0.1:${port}`, '--pot-timeout', '300']);
			started.push(app);
			const page = await request(base + '/');
			expect(page.status).toBe(504);
			expect(page.body).toContain('<span class="code">504</span> Gateway Timeout');
			expect(page.body).toContain(`127.0.0.1:${port}`);
		} finally {
			for (const s of sockets) s.destroy();
			silent.close();
		}
	});
});
