/**
 * `npm run bench:webapp`: home-page requests per second through the web app
 * (each one also makes an HTCPCP GET to a real pot over a fresh TCP
 * connection), next to a bare node:http server answering a page of the same
 * size, both measured in this run with keep-alive at concurrency 16. A static
 * asset from the web app is measured too, to separate the app's own cost from
 * the pot round trip. Prints each figure and the ratios.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startProgram, type Started } from '../tests/helpers/process';

const CONCURRENCY = 16;
const WARMUP_MS = 1000;
const MEASURE_MS = 5000;

async function measure(url: string): Promise<{ rps: number; bytes: number; errors: number }> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
	let count = 0;
	let errors = 0;
	let bytes = 0;
	let counting = false;
	let running = true;
	const one = () =>
		new Promise<void>((resolve) => {
			const req = http.get(url, { agent }, (res) => {
				let size = 0;
				res.on('data', (c: Buffer) => (size += c.length));
				res.on('end', () => {
					if (counting) {
						if (res.statusCode === 200) count++;
						else errors++;
					}
					bytes = size;
					resolve();
				});
			});
			req.on('error', () => {
				if (counting) errors++;
				resolve();
			});
		});
	const loops = Array.from({ length: CONCURRENCY }, async () => {
		while (running) await one();
	});
	await new Promise((r) => setTimeout(r, WARMUP_MS));
	counting = true;
	const start = performance.now();
	await new Promise((r) => setTimeout(r, MEASURE_MS));
	counting = false;
	const seconds = (performance.now() - start) / 1000;
	running = false;
	await Promise.all(loops);
	agent.destroy();
	return { rps: count / seconds, bytes, errors };
}

/** A bare node:http server in its own process, answering `size` bytes of HTML. */
function startBare(size: number): Promise<{ child: ChildProcess; port: number }> {
	const code = `
import http from 'node:http';
const body = Buffer.alloc(${size}, 'x');
const server = http.createServer((req, res) => {
	res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
	res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));`;
	const child = spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
	return new Promise((resolve, reject) => {
		child.stdout?.on('data', (c: Buffer) => {
			const m = /port (\d+)/.exec(c.toString());
			if (m) resolve({ child, port: Number(m[1]) });
		});
		child.on('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
	});
}

async function main() {
	const started: Started[] = [];
	let bare: ChildProcess | undefined;
	try {
		const data = mkdtempSync(path.join(os.tmpdir(), 'bench-webapp-pot-'));
		const pot = await startProgram('server/pot/main.ts', ['--port', '0', '--local', '--data', data], /Listening for connections on [^\s:]+:(\d+)/);
		started.push(pot);
		const app = await startProgram('server/webapp/main.ts', ['--port', '0', '--local', '--pot', `127.0.0.1:${pot.match[1]}`], /Coffee web app on http:\/\/127\.0\.0\.1:(\d+)\//);
		started.push(app);
		const base = `http://127.0.0.1:${app.match[1]}`;

		console.log(`Keep-alive, concurrency ${CONCURRENCY}, ${MEASURE_MS / 1000} s each after ${WARMUP_MS / 1000} s warm-up.`);
		const home = await measure(`${base}/`);
		const b = await startBare(home.bytes);
		bare = b.child;
		const baseline = await measure(`http://127.0.0.1:${b.port}/`);
		const asset = await measure(`${base}/assets/styles.css`);

		const row = (label: string, r: { rps: number; bytes: number; errors: number }) =>
			console.log(`${label.padEnd(40)} ${r.rps.toFixed(0).padStart(7)} req/s  (${r.bytes} B, ${r.errors} errors)`);
		row('web app home page (+ HTCPCP GET to pot)', home);
		row('bare node:http, same size page', baseline);
		row('web app static asset (no pot)', asset);
		console.log(`ratio home / bare: ${(home.rps / baseline.rps).toFixed(3)}`);
		console.log(`ratio asset / bare: ${(asset.rps / baseline.rps).toFixed(3)}`);
	} finally {
		bare?.kill();
		for (const s of started.reverse()) await s.stop();
	}
}

main().catch((e: unknown) => {
	console.error(`bench:webapp: ${e instanceof Error ? e.message : String(e)}`);
	process.exit(1);
});
