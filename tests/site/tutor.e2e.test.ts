/**
 * The tutor site in real Chromium against `npm start` (the relay) on free
 * ports: the home page, a task page with the pot's console, typing in the
 * shell, the teapot triggered from the page and seen in the inspector and
 * the diagram, the course capture opened (frame 13), scroll-back after a
 * reload, and a screenshot of each view in both themes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser, SCREENSHOTS } from '../helpers/browser';
import { freePort, ROOT, startProgram, type Started } from '../helpers/process';
import { findTryIt, taskTitle, taskWithPanels } from './helpers';

const CAPTURE = path.resolve(ROOT, '../shared/captures/homepage_coffee.pcapng');
const WAIT = 30_000;

let relay: Started;
let url: string;
let dataDir: string;
let relayArgs: string[];
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const shot = (name: string, fullPage = false) => page.screenshot({ path: path.join(SCREENSHOTS, `site-${name}.png`), fullPage });

/** The rows a terminal shows (xterm's DOM renderer keeps one element per visible row). */
const terminalRows = (name: string) =>
	page.evaluate((n) => [...(document.querySelector(`[data-terminal="${n}"] .xterm-rows`)?.children ?? [])].map((r) => (r.textContent ?? '').trimEnd()), name);

async function waitForTerminal(name: string, needle: string): Promise<void> {
	// xterm.js draws only terminals that are on screen, as a student would look at them.
	await page.locator(`[data-terminal="${name}"]`).first().scrollIntoViewIfNeeded();
	await page.waitForFunction(
		([n, text]) => (document.querySelector(`[data-terminal="${n}"] .xterm-rows`)?.textContent ?? '').includes(text),
		[name, needle],
		{ timeout: WAIT }
	);
}

async function setTheme(theme: 'light' | 'dark'): Promise<void> {
	const current = await page.evaluate(() => document.documentElement.dataset.theme);
	// Clicked from script so the page keeps its scroll position for the screenshot.
	if (current !== theme) await page.evaluate(() => document.querySelector<HTMLButtonElement>('header.top button.theme')?.click());
	await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
}

describe.skipIf(!browserAvailable)('tutor site in Chromium', () => {
	beforeAll(async () => {
		const [port, potPort, webappPort] = [await freePort(), await freePort(), await freePort()];
		dataDir = mkdtempSync(path.join(os.tmpdir(), 'tutor-site-'));
		relayArgs = ['--port', String(port), '--pot-port', String(potPort), '--webapp-port', String(webappPort), '--data', dataDir];
		relay = await startProgram(
			'server/relay/main.ts',
			relayArgs,
			/Tutor ready at (http:\/\/\S+)/,
			{ timeoutMs: 60_000 }
		);
		url = relay.match[1];
		browser = await launchBrowser();
		page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		page.on('pageerror', (e) => pageErrors.push(e.message));
		page.on('dialog', (d) => {
			pageErrors.push(`dialog opened: ${d.message()}`);
			void d.dismiss();
		});
	}, 90_000);

	afterAll(async () => {
		await browser?.close();
		await relay?.stop();
		if (dataDir) rmSync(dataDir, { recursive: true, force: true });
	});

	it('opens with the token and lists the tasks', async () => {
		const response = await page.goto(url);
		expect(response?.status()).toBe(200);
		// The token was traded for a cookie and left the address bar.
		expect(page.url()).not.toContain('token=');
		await expect(page.locator('[data-task="architecture"]').textContent()).resolves.toContain(taskTitle('01-architecture'));
		await expect(page.locator('[data-task="tcp-and-ports"]').textContent()).resolves.toContain(taskTitle('03-tcp-and-ports'));
		await page.waitForSelector('text=Lab running', { timeout: WAIT });
		await setTheme('light');
		await shot('home-light', true);
		await setTheme('dark');
		await shot('home-dark', true);
		await setTheme('light');
	});

	it("shows the pot's console in a terminal on a task page", async () => {
		await page.click('[data-task="architecture"]');
		await page.waitForURL(/\/tasks\/architecture$/);
		await expect(page.locator('h1').textContent()).resolves.toBe(taskTitle('01-architecture'));
		await waitForTerminal('pot', 'Listening for connections');
		await page.waitForFunction(() => document.querySelector('[data-terminal="pot"] [data-state]')?.getAttribute('data-state') === 'running');
	});

	it('triggers the teapot from the page and shows the 418 in the inspector and the diagram', async () => {
		// Whichever task page offers the tea-pot action, as the content has it.
		const teapot = findTryIt(/pots=tea/);
		await page.goto(new URL(`/tasks/${teapot.slug}`, url).href);
		// The live view shows traffic from the moment the page is connected.
		await page.waitForSelector('text=Lab running', { timeout: WAIT });
		const button = page.locator('button, a', { hasText: teapot.label }).first();
		if (teapot.action === 'open') {
			// The action opens the coffee site in a new tab; the traffic still passes the taps.
			const [tab] = await Promise.all([page.context().waitForEvent('page'), button.click()]);
			await tab.waitForLoadState('load');
			await tab.close();
		} else {
			await button.click();
		}
		// Two 418s: the pot's HTCPCP answer to the web app, and the web app's HTTP page to the browser.
		const alarm = page.locator('.inspector .alarm', { hasText: '418' }).first();
		await alarm.waitFor({ timeout: WAIT });
		await alarm.click();
		const detail = page.locator('.inspector .detail [data-status="418"]');
		await detail.waitFor({ timeout: WAIT });
		const text = (await detail.textContent()) ?? '';
		expect(text).toContain("I'm a teapot");
		expect(text).toContain('RFC 2324');
		expect(text).toContain('Content-Type');
		// The diagram draws the 418 as an alert arrow from the pot to the web app.
		// The diagram draws only the arrows in view and follows the newest, and the
		// page's own assets came after the 418: scroll back to the start to see it.
		const arrow = page.locator('.diagram g.arrow.alert[aria-label*="Pot to Web app"]');
		for (let i = 0; i < 100 && (await arrow.count()) === 0; i++) {
			await page.locator('.diagram .box').first().evaluate((box) => box.scrollTo({ top: 0 }));
			await page.waitForTimeout(200);
		}
		await arrow.first().waitFor({ timeout: WAIT });
		await expect(arrow.first().getAttribute('aria-label')).resolves.toMatch(/418.*Pot to Web app/);
		await page.locator('.diagram').scrollIntoViewIfNeeded();
		await shot('diagram-teapot-light');
		await detail.scrollIntoViewIfNeeded();
		await shot('task-teapot-light');
		await setTheme('dark');
		await shot('task-teapot-dark');
		await setTheme('light');
	});

	it('runs a command typed in the shell terminal', async () => {
		// A page with the shell and the pot side by side (the next test reloads it), an inspector and a diagram.
		await page.goto(new URL(`/tasks/${taskWithPanels('terminal:shell', 'terminal:pot', 'inspector', 'diagram')}`, url).href);
		await page.waitForSelector('[data-terminal="shell"] .xterm-rows', { timeout: WAIT });
		await page.waitForFunction(() => document.querySelector('[data-terminal="shell"] [data-state]')?.getAttribute('data-state') === 'running', null, { timeout: WAIT });
		await page.click('[data-terminal="shell"] .xterm-screen');
		await page.keyboard.type('echo tutor-$((6*7))');
		await page.keyboard.press('Enter');
		await waitForTerminal('shell', 'tutor-42');
		await page.keyboard.type('htcpcp GET coffee://ducky');
		await page.keyboard.press('Enter');
		await waitForTerminal('shell', 'HTCPCP/1.1 200');
		await shot('task-shell-light');
	});

	it("finds the terminals' recent output again after a reload", async () => {
		const lastLine = async (name: string) => (await terminalRows(name)).filter((r) => r.trim() !== '').at(-1) ?? '';
		const shellBefore = await lastLine('shell');
		const potBefore = await lastLine('pot');
		expect(shellBefore).not.toBe('');
		expect(potBefore).not.toBe('');
		await page.reload();
		await waitForTerminal('shell', 'HTCPCP/1.1 200');
		await waitForTerminal('shell', shellBefore);
		await waitForTerminal('pot', potBefore);
		await shot('task-reloaded-light');
	});

	it("opens everything the taps recorded so far in the inspector", async () => {
		await page.click('.inspector button:has-text("Load earlier traffic")');
		await page.locator('.inspector .src.file', { hasText: 'the relay capture so far' }).waitFor({ timeout: WAIT });
		// The teapot from the first task page is in it, loud as ever.
		await page.locator('.inspector .alarm', { hasText: '418' }).first().waitFor({ timeout: WAIT });
		await page.click('.inspector button:has-text("Back to live traffic")');
		await page.locator('.inspector .src.live').waitFor({ timeout: WAIT });
	});

	it('opens the course capture dropped on the page and inspects its frame 13', async () => {
		const bytes = [...readFileSync(CAPTURE)];
		await page.evaluate((data) => {
			const file = new File([new Uint8Array(data)], 'homepage_coffee.pcapng', { type: 'application/octet-stream' });
			const transfer = new DataTransfer();
			transfer.items.add(file);
			window.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, cancelable: true, bubbles: true }));
			window.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, cancelable: true, bubbles: true }));
		}, bytes);
		await page.locator('.inspector .src.file', { hasText: 'homepage_coffee.pcapng' }).waitFor({ timeout: WAIT });
		// The handshake of the first connection is named in its group's title.
		await expect(page.locator('.inspector .conn').first().textContent()).resolves.toContain('SYN 1, SYN-ACK 2, ACK 3');
		// Only the HTCPCP messages: the web app's GET coffee://ducky (11) and the pot's answer (13).
		await page.fill('.inspector .filter input', 'htcpcp');
		await page.locator('.inspector .count', { hasText: '2 of' }).waitFor({ timeout: WAIT });
		const row = page.locator('.inspector [data-frame-row="13"]');
		await row.click();
		const detail = page.locator('.inspector .detail [data-frame="13"]');
		await detail.waitFor({ timeout: WAIT });
		const text = (await detail.textContent()) ?? '';
		expect(text).toContain('HTCPCP/1.1 200 OK');
		expect(text).toContain('Response · HTCPCP');
		await expect(page.locator('.diagram .count').first().textContent()).resolves.toContain('homepage_coffee.pcapng');
		await page.locator('.inspector').scrollIntoViewIfNeeded();
		await shot('capture-frame13-light');
		await setTheme('dark');
		await shot('capture-frame13-dark');
		await setTheme('light');
		// A tablet held upright: material first, live parts below.
		await page.setViewportSize({ width: 820, height: 1180 });
		await page.locator('.inspector').scrollIntoViewIfNeeded();
		await shot('capture-tablet-light');
		await page.setViewportSize({ width: 1440, height: 900 });
	});

	it('reconnects by itself when the relay restarts, and shows the new session', async () => {
		await page.goto(new URL(`/tasks/${taskWithPanels('terminal:pot')}`, url).href);
		await page.waitForSelector('text=Lab running', { timeout: WAIT });
		await relay.stop('SIGTERM');
		await page.waitForSelector('text=Relay offline', { timeout: WAIT });
		await shot('relay-offline-light');
		// Same data folder and port, a new launch token: the page is not reloaded.
		relay = await startProgram('server/relay/main.ts', relayArgs, /Tutor ready at (http:\/\/\S+)/, { timeoutMs: 60_000 });
		await page.waitForSelector('text=Lab running', { timeout: WAIT });
		await waitForTerminal('pot', 'Listening for connections on');
	});

	it('raised no errors in the page', () => {
		expect(pageErrors).toEqual([]);
	});
});
