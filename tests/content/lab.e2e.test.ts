/**
 * The lab engine end to end, in real Chromium against `npm start`: a student
 * walks every page from the home page, does what each page's checks ask (the
 * web app's links in a second tab, the shell terminal, "Check my pot"),
 * answers every question (traffic-graded ones from the capture the relay
 * offers for download) and sees each check tick; a wrong answer shows its
 * explanation; progress survives a reload and a relay restart (the HTTPS
 * task runs after restarting the relay with --https, same --data).
 * Needs `npx vite build` first.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadContent } from '../../server/lab/content';
import type { LabPage } from '../../src/lib/lab/page';
import { runQuery } from '../../src/lib/lab/queries';
import type { CheckDeclaration, Question } from '../../src/lib/lab/schema';
import { snapshotFromAnalysis } from '../../src/lib/lab/snapshot';
import { analyzeCapture } from '../../src/lib/protocol/analysis/frames';
import { readCapture } from '../../src/lib/protocol/capture/read';
import { browserAvailable, launchBrowser, SCREENSHOTS } from '../helpers/browser';
import { freePort, ROOT, startProgram, type Started } from '../helpers/process';

const WAIT = 30_000;
const built = existsSync(path.join(ROOT, 'build/handler.js'));
const pages: LabPage[] = loadContent(path.join(ROOT, 'content')).pages;

let relay: Started;
let url: string;
let https = false;
let dataDir: string;
let ports: { relay: number; pot: number; webapp: number };
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

async function startRelay(withHttps: boolean): Promise<void> {
	https = withHttps;
	relay = await startProgram(
		'server/relay/main.ts',
		['--port', String(ports.relay), '--pot-port', String(ports.pot), '--webapp-port', String(ports.webapp), '--data', dataDir, '--brew-seconds', '2', ...(withHttps ? ['--https'] : [])],
		/Tutor ready at (http:\/\/\S+)/,
		{ timeoutMs: 60_000 }
	);
	url = relay.match[1];
}

const webapp = (p: string) => `${https ? 'https' : 'http'}://127.0.0.1:${ports.webapp}${p}`;

/** Follows one of the web app's links in a second tab, as the student would. */
async function visit(...paths: string[]): Promise<void> {
	const tab = await context.newPage();
	try {
		for (const p of paths) {
			// Right after a relay (re)start the web app may still be starting: a few bounded retries.
			for (let attempt = 1; ; attempt++) {
				try {
					await tab.goto(webapp(p), { timeout: WAIT });
					break;
				} catch (error) {
					if (attempt >= 15) throw error;
					await tab.waitForTimeout(1000);
				}
			}
		}
	} finally {
		await tab.close();
	}
}

function pathForStatus(status: number): string[] {
	if ([400, 404, 501, 415].includes(status)) return [`/test-${status}`];
	if (status === 418) return ['/?method=brew&message=start&pots=tea'];
	if (status === 406) return ['/?method=brew&message=start&additions=chamomile&pots=ducky'];
	return ['/'];
}

/** Does what a check asks for. */
async function act(check: CheckDeclaration): Promise<void> {
	const w = (check.with ?? {}) as Record<string, unknown>;
	switch (check.check) {
		case 'pot-status':
		case 'webapp-page':
			return visit(...pathForStatus(w.status as number));
		case 'status-seen':
			return visit(...pathForStatus(w.status as number));
		case 'request-seen': {
			if (w.hop === 'browser-webapp') return visit((w.target as string | undefined) ?? '/');
			const method = (w.method as string | undefined)?.toUpperCase();
			if (method === 'BREW' || method === 'POST') return visit('/?method=brew&message=start&additions=cream&pots=ducky', '/?method=brew&message=stop');
			if (method === 'WHEN') return visit('/?method=when');
			if (method === 'PROPFIND') return visit('/?method=propfind');
			return visit('/');
		}
		case 'persistent-connection':
		case 'conditional-get':
		case 'handshake-seen':
		case 'tls-seen':
		case 'plain-htcpcp-under-tls':
			return visit('/', '/');
		case 'redirect-seen':
			return visit('/?method=brew&message=start&pots=ducky', '/?method=brew&message=stop');
		case 'terminal-output': {
			await page.locator(`[data-terminal="${w.terminal as string}"] .xterm`).first().click();
			await page.keyboard.type('htcpcp GET coffee://ducky\n');
			return;
		}
		case 'program-restarted':
			await page.locator(`[data-terminal="${w.program as string}"] button`, { hasText: 'Restart' }).first().click();
			return;
		case 'pot-conformance':
			await page.getByRole('button', { name: 'Check my pot' }).click();
			await page.waitForSelector('.checks .pot [role="status"]', { timeout: 120_000 });
			return;
		case 'questions-answered':
			return;
	}
}

/** The right answer to a question: its own, or what its query finds in the capture the relay offers. */
async function rightAnswer(q: Question): Promise<string | number | string[]> {
	if (!q.traffic) return q.answer as string | number | string[];
	for (let round = 0; round < 3; round++) {
		const res = await page.request.get(`http://127.0.0.1:${ports.relay}/api/capture.pcapng`);
		const snap = snapshotFromAnalysis(analyzeCapture(readCapture(new Uint8Array(await res.body()))), { webapp: ports.webapp, pot: ports.pot });
		const found = runQuery(q.traffic, snap);
		if (found) {
			const first = found.accepted[0];
			if (q.type === 'single') return q.options!.find((o) => found.accepted.some((a) => String(a).toLowerCase() === o.toLowerCase())) ?? String(first);
			return first;
		}
		const m = q.traffic.match;
		await visit(m?.target && !m.target.startsWith('prefix:') && m.hop !== 'webapp-pot' ? m.target : pathForStatus(m?.status ?? 200)[0]);
	}
	throw new Error(`no traffic for ${q.id}`);
}

async function fill(id: string, q: Question, value: string | number | string[]): Promise<void> {
	const form = page.locator(`form[data-question="${id}"]`);
	if (q.type === 'single') await form.locator(`input[type="radio"][value="${String(value)}"]`).check();
	else if (q.type === 'multiple') {
		const wanted = new Set((value as string[]).map((x) => String(x).toLowerCase()));
		for (const box of await form.locator('input[type="checkbox"]').all()) {
			const v = ((await box.getAttribute('value')) ?? '').toLowerCase();
			if (wanted.has(v)) await box.check();
			else await box.uncheck();
		}
	} else if (q.type === 'order') {
		const target = (value as string[]).map(String);
		for (let i = 0; i < target.length; i++) {
			const current = await form.locator('li[data-option]').evaluateAll((els) => els.map((e) => e.getAttribute('data-option') ?? ''));
			let at = current.findIndex((x) => x.toLowerCase() === target[i].toLowerCase());
			const name = current[at];
			while (at > i) {
				await form.locator(`li[data-option="${name}"] button[aria-label^="Move"][aria-label$="up"]`).click();
				at--;
			}
		}
	} else await form.locator('input[type="text"]').fill(Array.isArray(value) ? String(value[0]) : String(value));
	await form.locator('button[type="submit"]').click();
}

async function answer(q: Question, value: string | number | string[], status: string): Promise<void> {
	await fill(q.id, q, value);
	await page.waitForSelector(`form[data-question="${q.id}"][data-status="${status}"]`, { timeout: WAIT }).catch(async (e: Error) => {
		const form = page.locator(`form[data-question="${q.id}"]`);
		await form.screenshot({ path: path.join(SCREENSHOTS, `lab-failed-${q.id}.png`) }).catch(() => {});
		throw new Error(`${q.id}: expected ${status}, the form says ${await form.getAttribute('data-status')}: ${await form.locator('.feedback').textContent().catch(() => '')} (${e.message})`);
	});
}

function wrongValue(q: Question): string | null {
	if (q.type !== 'single' || q.traffic) return null;
	return q.options!.find((o) => o.toLowerCase() !== String(q.answer).toLowerCase()) ?? null;
}

async function openHome(): Promise<void> {
	await page.goto(url);
	await page.waitForSelector('text=Lab running', { timeout: WAIT });
}

describe.skipIf(!browserAvailable || !built)('the lab, walked in Chromium', () => {
	beforeAll(async () => {
		ports = { relay: await freePort(), pot: await freePort(), webapp: await freePort() };
		dataDir = mkdtempSync(path.join(os.tmpdir(), 'lab-e2e-'));
		await startRelay(false);
		browser = await launchBrowser();
		context = await browser.newContext({ viewport: { width: 1440, height: 900 }, ignoreHTTPSErrors: true });
		page = await context.newPage();
		page.on('pageerror', (e) => pageErrors.push(e.message));
	}, 120_000);

	afterAll(async () => {
		await browser?.close();
		await relay?.stop();
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	});

	it('ships no answers to the browser', () => {
		const dir = path.join(ROOT, 'build/client/_app/immutable');
		const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && d.name.endsWith('.js'));
		const text = files.map((d) => readFileSync(path.join(d.parentPath, d.name), 'utf8')).join('\n');
		for (const p of pages) for (const q of p.questions) expect(text.includes(q.explanation), `${p.slug}/${q.id} explanation is in the build`).toBe(false);
	});

	it('walks every page: actions tick the checks, every question is answered', async () => {
		await openHome();
		let sawWrong = false;
		for (const p of pages) {
			if (p.checks.some((c) => c.check === 'tls-seen' || c.check === 'plain-htcpcp-under-tls') && !https) {
				// The HTTPS task needs the web app on TLS: restart the relay with --https (same --data).
				await relay.stop();
				await startRelay(true);
				await openHome();
			}
			await page.goto(url.replace(/\/\?token=.*$/, '/'));
			await page.locator(`a[data-task="${p.slug}"]`).click();
			await page.waitForURL(`**/tasks/${p.slug}`);
			await page.waitForFunction(() => !document.querySelector('.checks .waiting'), null, { timeout: WAIT });

			for (const q of p.questions) {
				const wrong = wrongValue(q);
				if (!sawWrong && wrong) {
					await answer(q, wrong, 'wrong');
					const feedback = page.locator(`form[data-question="${q.id}"] .feedback`);
					await expect(feedback.textContent()).resolves.toContain(q.explanation);
					sawWrong = true;
				}
				if (!q.traffic) await answer(q, await rightAnswer(q), 'correct');
			}
			for (const c of p.checks) {
				const li = page.locator(`[data-check="${c.id}"]`);
				if ((await li.getAttribute('data-pass')) !== 'yes') await act(c);
			}
			for (const q of p.questions.filter((x) => x.traffic)) await answer(q, await rightAnswer(q), 'correct');
			for (const c of p.checks) {
				await page.waitForSelector(`[data-check="${c.id}"][data-pass="yes"]`, { timeout: 120_000 }).catch(async (e: Error) => {
					const detail = await page.locator(`[data-check="${c.id}"]`).textContent();
					throw new Error(`${p.slug}/${c.id} did not tick: ${detail} (${e.message})`);
				});
			}
			await page.waitForSelector('.progress[data-complete="yes"]', { timeout: WAIT });
			await page.screenshot({ path: path.join(SCREENSHOTS, `lab-${p.slug}.png`), fullPage: true });
		}
		expect(sawWrong).toBe(true);
		expect(pageErrors).toEqual([]);
	}, 900_000);

	it('keeps the progress across a reload and a relay restart', async () => {
		await page.reload();
		await page.goto(url.replace(/\/\?token=.*$/, '/'));
		for (const p of pages) await page.waitForSelector(`li[data-complete="yes"] a[data-task="${p.slug}"]`, { timeout: WAIT });
		await relay.stop();
		await startRelay(false);
		await openHome();
		for (const p of pages) await page.waitForSelector(`li[data-complete="yes"] a[data-task="${p.slug}"]`, { timeout: WAIT });
		const csv = await page.request.get(`http://127.0.0.1:${ports.relay}/api/lab/export.csv`);
		expect(csv.status()).toBe(200);
		expect(await csv.text()).toMatch(/^page,item,id,attempts,correct/);
	}, 180_000);
});
