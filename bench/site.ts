/**
 * `npm run bench:site`: the tutor site's speed goals (issue 6, "Quality"),
 * each next to a baseline measured in the same run and the same Chromium:
 *  1. time to interactive of the home page and a task page (navigation start
 *     until "Lab running" shows and every terminal on the page is running),
 *     against a static page of the same byte size from a bare node:http
 *     server (navigation start to loadEventEnd); goal < 1 s;
 *  2. latency from a request written to the web app's tap to its row in the
 *     inspector (a MutationObserver in the page stamps the row), against the
 *     same request's own round trip to its HTTP response; goal < 100 ms;
 *  3. scrolling 1,000 messages (a synthetic capture dropped on the page) from
 *     top to bottom one animation frame per step, against the same scroll over
 *     a plain list of as many rows; frame times and how many rows the DOM holds.
 * Both clocks are wall clocks on one machine (timeOrigin + now() on each
 * side); the page's offset from this process is measured first and removed.
 */

import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { writeTrafficCapture } from '../src/lib/protocol/capture/traffic-writer';
import type { TrafficEvent } from '../src/lib/protocol/analysis/events';
import { browserAvailable, CHROMIUM, launchBrowser } from '../tests/helpers/browser';
import { freePort, ROOT, startProgram, type Started } from '../tests/helpers/process';
import { taskWithPanels } from '../tests/site/helpers';

const RUNS = 5;
const MESSAGES = 50;
const WAIT = 30_000;

const now = () => performance.timeOrigin + performance.now();

/**
 * tsx compiles this file with esbuild's keepNames, which wraps inner functions
 * in `__name(...)`; functions sent to the page need that helper there too.
 */
const KEEP_NAMES = { content: 'globalThis.__name = (fn) => fn;' };

async function newContext(browser: Browser): Promise<BrowserContext> {
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	await context.addInitScript(KEEP_NAMES);
	return context;
}
const ms = (v: number) => `${v.toFixed(1)} ms`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');

function pct(values: number[], p: number): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const median = (values: number[]) => pct(values, 50);
const worst = (values: number[]) => Math.max(...values);

// ---------------------------------------------------------------- 1. time to interactive

/**
 * Installed before the page's own scripts: stamps the moment (ms since
 * navigation start) at which "Lab running" shows and every terminal on the
 * page reports `running`.
 */
function readyProbe(): void {
	const w = window as unknown as { __ready?: number };
	const check = () => {
		if (w.__ready !== undefined) return;
		if (!document.body?.textContent?.includes('Lab running')) return;
		const states = [...document.querySelectorAll('[data-terminal] [data-state]')].map((e) => e.getAttribute('data-state'));
		if (states.some((s) => s !== 'running')) return;
		w.__ready = performance.now();
		observer.disconnect();
	};
	const observer = new MutationObserver(check);
	observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-state'] });
}

async function timeToInteractive(browser: Browser, cookies: Awaited<ReturnType<BrowserContext['cookies']>>, url: string, probe: boolean): Promise<{ ready: number; load: number; bytes: number }> {
	// A fresh context per run: an empty cache, as a student's first visit.
	const context = await newContext(browser);
	try {
		await context.addCookies(cookies);
		const page = await context.newPage();
		if (probe) await page.addInitScript(readyProbe);
		await page.goto(url, { waitUntil: 'load', timeout: WAIT });
		if (probe) await page.waitForFunction(() => (window as unknown as { __ready?: number }).__ready !== undefined, null, { timeout: WAIT });
		return await page.evaluate(() => {
			const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
			const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
			const bytes = resources.reduce((sum, r) => sum + (r.decodedBodySize || 0), nav.decodedBodySize || 0);
			const ready = (window as unknown as { __ready?: number }).__ready ?? nav.loadEventEnd;
			return { ready: Math.max(ready, nav.loadEventEnd), load: nav.loadEventEnd, bytes };
		});
	} finally {
		await context.close();
	}
}

/** A bare node:http server that answers every GET with one fixed HTML page. */
function staticServer(html: string): Promise<{ url: string; close: () => Promise<void> }> {
	const body = Buffer.from(html, 'utf8');
	const server = http.createServer((_req, res) => {
		res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length });
		res.end(body);
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			resolve({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) });
		});
	});
}

function paddedPage(bytes: number): string {
	const head = '<!doctype html><html><head><meta charset="utf-8"><title>Baseline</title></head><body><h1>Baseline</h1><p>Static page.</p><!-- ';
	const tail = ' --></body></html>';
	return head + 'x'.repeat(Math.max(0, bytes - head.length - tail.length)) + tail;
}

function reportTti(name: string, site: number[], base: number[]): void {
	console.log(
		`  ${name.padEnd(10)} median ${ms(median(site))}, worst ${ms(worst(site))} | baseline median ${ms(median(base))}, worst ${ms(worst(base))} | ratio ${ratio(median(site), median(base))} | goal < 1000 ms: ${worst(site) < 1000 ? 'met' : median(site) < 1000 ? 'met at the median, not at worst' : 'NOT met'}`
	);
}

// ---------------------------------------------------------------- 2. message latency

/** In the page: stamps (wall clock) the first inspector row whose text holds a pending token, and the next frame after it. */
function latencyProbe(): void {
	const w = window as unknown as { __token?: string; __seen?: Record<string, { dom: number; frame: number }> };
	w.__seen = {};
	const wall = () => performance.timeOrigin + performance.now();
	const check = () => {
		const token = w.__token;
		if (!token || w.__seen![token]) return;
		for (const row of document.querySelectorAll('.inspector .list [data-frame-row]')) {
			if ((row.textContent ?? '').includes(token)) {
				const entry = { dom: wall(), frame: 0 };
				w.__seen![token] = entry;
				requestAnimationFrame(() => (entry.frame = wall()));
				return;
			}
		}
	};
	for (const list of document.querySelectorAll('.inspector .list')) {
		new MutationObserver(check).observe(list, { subtree: true, childList: true, characterData: true });
	}
}

/** The page's wall clock minus this process's, from the quickest of several round trips. */
async function clockOffset(page: Page): Promise<number> {
	let best = { rtt: Infinity, offset: 0 };
	for (let i = 0; i < 30; i++) {
		const before = now();
		const pageTime = await page.evaluate(() => performance.timeOrigin + performance.now());
		const after = now();
		if (after - before < best.rtt) best = { rtt: after - before, offset: pageTime - (before + after) / 2 };
	}
	return best.offset;
}

/** Writes one GET to the tap on a connected socket; resolves with the write time and the time of the whole response. */
function request(port: number, target: string): Promise<{ sent: number; answered: number }> {
	return new Promise((resolve, reject) => {
		const socket = net.connect({ host: '127.0.0.1', port, noDelay: true }, () => {
			const sent = now();
			socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
			socket.on('end', () => resolve({ sent, answered: now() }));
		});
		socket.on('data', () => {});
		socket.on('error', reject);
		socket.setTimeout(WAIT, () => socket.destroy(new Error(`no answer from 127.0.0.1:${port} within ${WAIT} ms`)));
	});
}

// ---------------------------------------------------------------- 3. scrolling

/** `pairs` request/response exchanges, each on its own connection: 2 × pairs messages. */
function syntheticCapture(pairs: number): Uint8Array {
	const events: TrafficEvent[] = [];
	const ep = (port: number) => ({ address: '127.0.0.1', port });
	const enc = new TextEncoder();
	let t = 1_700_000_000_000_000;
	for (let conn = 1; conn <= pairs; conn++) {
		const body = `{"cup":${conn},"status":"brewing"}`;
		events.push(
			{ type: 'open', conn, timeUs: (t += 100), client: ep(40000 + (conn % 20000)), server: ep(8080), label: 'browser → web app' },
			{ type: 'data', conn, timeUs: (t += 100), from: 'client', bytes: enc.encode(`GET /cups/${conn} HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept: application/json\r\n\r\n`) },
			{ type: 'data', conn, timeUs: (t += 100), from: 'server', bytes: enc.encode(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`) },
			{ type: 'end', conn, timeUs: (t += 100), from: 'server' },
			{ type: 'end', conn, timeUs: (t += 100), from: 'client' },
			{ type: 'close', conn, timeUs: (t += 100) }
		);
	}
	return writeTrafficCapture(events);
}

/**
 * Scrolls `selector` from top to bottom, `step` px per animation frame. Per
 * frame: the interval between frames, and the main thread's work in it (from
 * the frame's start to the first task after it, which covers the scroll
 * handler, the list's update, style, layout and paint); and the most rows the DOM held.
 */
async function scrollThrough(page: Page, selector: string, rowSelector: string, step: number) {
	return page.evaluate(
		([sel, rowSel, px]) =>
			new Promise<{ frames: number[]; work: number[]; maxRows: number }>((resolve) => {
				const box = document.querySelector(sel) as HTMLElement;
				box.scrollTop = 0;
				const frames: number[] = [];
				const work: number[] = [];
				const after = new MessageChannel();
				let frameStart = 0;
				after.port1.onmessage = () => work.push(performance.now() - frameStart);
				let maxRows = 0;
				let last = 0;
				const tick = (t: number) => {
					if (last) frames.push(t - last);
					last = t;
					frameStart = t;
					after.port2.postMessage(0);
					maxRows = Math.max(maxRows, box.querySelectorAll(rowSel).length);
					if (box.scrollTop + box.clientHeight >= box.scrollHeight - 1) {
						after.port1.onmessage = null;
						return resolve({ frames, work: work.slice(1), maxRows });
					}
					box.scrollTop += px;
					requestAnimationFrame(tick);
				};
				requestAnimationFrame(() => requestAnimationFrame(tick));
			}),
		[selector, rowSelector, step] as const
	);
}

function staticList(rows: number): string {
	const items = Array.from({ length: rows }, (_, i) => `<div class="row"><span>${i + 1}</span><span>0.${String(i).padStart(6, '0')}</span><span>browser → web app</span><span>HTTP</span><span>GET /cups/${i} HTTP/1.1</span></div>`).join('');
	return `<!doctype html><html><head><meta charset="utf-8"><style>
		.list { height: 16rem; overflow: auto; font: 14px monospace; border: 1px solid #999; }
		.row { height: 26px; display: flex; gap: 1rem; white-space: nowrap; }
	</style></head><body><div class="list">${items}</div></body></html>`;
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
	if (!browserAvailable) {
		console.error(`bench:site: no Chromium at ${CHROMIUM}; install it with: sudo apt-get install chromium`);
		process.exit(1);
	}
	if (!existsSync(path.join(ROOT, 'build/handler.js'))) {
		console.log('building the site (npx vite build)…');
		const built = spawnSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: 'inherit' });
		if (built.status !== 0) throw new Error('vite build failed; run `npx vite build` to see why');
	}
	const [port, potPort, webappPort] = [await freePort(), await freePort(), await freePort()];
	const dataDir = mkdtempSync(path.join(os.tmpdir(), 'bench-site-'));
	let relay: Started | undefined;
	let browser: Browser | undefined;
	const closers: (() => Promise<void>)[] = [];
	const pageErrors: string[] = [];
	try {
		const started = now();
		relay = await startProgram('server/relay/main.ts', ['--port', String(port), '--pot-port', String(potPort), '--webapp-port', String(webappPort), '--data', dataDir], /Tutor ready at (http:\/\/\S+)/, { timeoutMs: 60_000 });
		const url = relay.match[1];
		browser = await launchBrowser();
		console.log(`bench:site — relay up in ${ms(now() - started)}, Chromium ${browser.version()}, ${os.cpus().length} cores`);

		// The launch token becomes a cookie once; every later context reuses it.
		const auth = await browser.newContext();
		await (await auth.newPage()).goto(url, { waitUntil: 'load' });
		const cookies = await auth.cookies();
		await auth.close();
		const origin = new URL(url).origin;
		const task = taskWithPanels('inspector');
		const taskUrl = `${origin}/tasks/${task}`;

		// 1. time to interactive, interleaved with the baseline run by run.
		// The first visits size the baselines: static pages as heavy as each page's document and assets.
		const firstHome = await timeToInteractive(browser, cookies, `${origin}/`, true);
		const firstTask = await timeToInteractive(browser, cookies, taskUrl, true);
		const homeBase = await staticServer(paddedPage(firstHome.bytes));
		const taskBase = await staticServer(paddedPage(firstTask.bytes));
		closers.push(homeBase.close, taskBase.close);
		const tti = { home: [firstHome.ready], task: [firstTask.ready], homeBase: [] as number[], taskBase: [] as number[] };
		for (let i = 0; i < RUNS; i++) {
			if (i > 0) tti.home.push((await timeToInteractive(browser, cookies, `${origin}/`, true)).ready);
			tti.homeBase.push((await timeToInteractive(browser, cookies, homeBase.url, false)).load);
			if (i > 0) tti.task.push((await timeToInteractive(browser, cookies, taskUrl, true)).ready);
			tti.taskBase.push((await timeToInteractive(browser, cookies, taskBase.url, false)).load);
		}
		console.log(`\n1. Time to interactive (fresh context each run, ${RUNS} runs; ready = "Lab running" and every terminal running)`);
		console.log(`  the pages load ${kib(firstHome.bytes)} (/) and ${kib(firstTask.bytes)} (/tasks/${task}); each baseline is one static page of the same size from node:http, timed to loadEventEnd`);
		reportTti('home', tti.home, tti.homeBase);
		reportTti('task', tti.task, tti.taskBase);

		// 2. message latency on a live task page.
		const context = await newContext(browser);
		await context.addCookies(cookies);
		const page = await context.newPage();
		page.on('pageerror', (e) => pageErrors.push(e.message));
		await page.goto(taskUrl, { waitUntil: 'load' });
		await page.waitForSelector('text=Lab running', { timeout: WAIT });
		await page.evaluate(latencyProbe);
		const offset = await clockOffset(page);
		const toRow: number[] = [];
		const toFrame: number[] = [];
		const direct: number[] = [];
		for (let i = 0; i < MESSAGES + 3; i++) {
			const token = `bench${i}x${process.pid}`;
			await page.evaluate((t) => ((window as unknown as { __token?: string }).__token = t), token);
			const { sent, answered } = await request(webappPort, `/?method=propfind&n=${token}`);
			const seen = await page.waitForFunction((t) => (window as unknown as { __seen: Record<string, { dom: number; frame: number }> }).__seen[t]?.frame || null, token, { timeout: WAIT });
			const frame = (await seen.jsonValue()) as number;
			const dom = await page.evaluate((t) => (window as unknown as { __seen: Record<string, { dom: number }> }).__seen[t].dom, token);
			if (i < 3) continue; // warm-up
			toRow.push(dom - offset - sent);
			toFrame.push(frame - offset - sent);
			direct.push(answered - sent);
		}
		console.log(`\n2. Message latency, ${MESSAGES} requests (GET /?method=propfind to the web app's tap → its row in the inspector; page clock offset ${ms(offset)} removed)`);
		console.log(`  row in the DOM   p50 ${ms(pct(toRow, 50))}, p95 ${ms(pct(toRow, 95))}, worst ${ms(worst(toRow))}`);
		console.log(`  next frame       p50 ${ms(pct(toFrame, 50))}, p95 ${ms(pct(toFrame, 95))}, worst ${ms(worst(toFrame))}  (the frame that paints it begins)`);
		console.log(`  baseline: the request's own HTTP round trip  p50 ${ms(pct(direct, 50))}, p95 ${ms(pct(direct, 95))}`);
		console.log(`  ratio (next frame / round trip) p50 ${ratio(pct(toFrame, 50), pct(direct, 50))}, p95 ${ratio(pct(toFrame, 95), pct(direct, 95))} | goal < 100 ms: ${pct(toFrame, 95) < 100 ? 'met at p95' : pct(toFrame, 50) < 100 ? 'met at p50, not at p95' : 'NOT met'}`);

		// 3. scrolling a thousand messages.
		const capture = [...syntheticCapture(500)];
		await page.evaluate((data) => {
			const file = new File([new Uint8Array(data)], 'bench-1000.pcapng', { type: 'application/octet-stream' });
			const transfer = new DataTransfer();
			transfer.items.add(file);
			window.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, cancelable: true, bubbles: true }));
			window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, cancelable: true, bubbles: true }));
		}, capture);
		const inspector = page.locator('.inspector').first();
		await inspector.locator('.src.file', { hasText: 'bench-1000.pcapng' }).waitFor({ timeout: WAIT });
		// Only the messages, in wire order: one row per message.
		await inspector.locator('.filter input').fill('http');
		const grouped = inspector.locator('.check input[type="checkbox"]');
		if (await grouped.isChecked()) await grouped.uncheck();
		await inspector.locator('.count', { hasText: /^1000 of/ }).waitFor({ timeout: WAIT });
		await inspector.scrollIntoViewIfNeeded();
		const rowsShown = ((await inspector.locator('.count').textContent()) ?? '').trim();
		const site = await scrollThrough(page, '.inspector .list', '[data-frame-row]', 130);
		const plainContext = await newContext(browser);
		const plain = await plainContext.newPage();
		await plain.setContent(staticList(1000));
		const base = await scrollThrough(plain, '.list', '.row', 130);
		await plainContext.close();
		await context.close();
		console.log(`\n3. Scrolling ${rowsShown} (capture of 1,000 messages dropped on /tasks/${task}), 130 px per animation frame, top to bottom`);
		const line = (name: string, r: typeof site, note: string) =>
			console.log(`  ${name.padEnd(10)} ${r.frames.length} frames; interval p50 ${ms(pct(r.frames, 50))}, p95 ${ms(pct(r.frames, 95))}, worst ${ms(worst(r.frames))}; work per frame p50 ${ms(pct(r.work, 50))}, p95 ${ms(pct(r.work, 95))}; ${r.maxRows} rows in the DOM at most${note}`);
		line('inspector', site, '');
		line('baseline', base, ' (plain list)');
		const over = site.frames.filter((f) => f > 25).length;
		console.log(`  ratio interval p50 ${ratio(pct(site.frames, 50), pct(base.frames, 50))}, p95 ${ratio(pct(site.frames, 95), pct(base.frames, 95))}; work p50 ${ratio(pct(site.work, 50), pct(base.work, 50))}, p95 ${ratio(pct(site.work, 95), pct(base.work, 95))} | ${over} inspector frames over 25 ms | rows stay small: ${site.maxRows <= 100 ? 'yes' : 'NO'}`);
		if (pageErrors.length > 0) console.log(`\npage errors: ${pageErrors.join(' | ')}`);
		console.log(`\nbench:site done in ${ms(now() - started)}`);
	} finally {
		for (const close of closers) await close();
		await browser?.close();
		await relay?.stop();
		rmSync(dataDir, { recursive: true, force: true });
	}
}

main().catch((error: Error) => {
	console.error(`bench:site failed: ${error.message}`);
	process.exit(1);
});
