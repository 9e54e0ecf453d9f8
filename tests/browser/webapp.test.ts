/**
 * The web app in real Chromium: the home page, a brew with cream whose
 * countdown moves, the 418 and 406 pages from the form, escaping, and a
 * screenshot of each page in test-output/screenshots/.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser, SCREENSHOTS } from '../helpers/browser';
import { freePort, type Started } from '../helpers/process';
import { startPot, startWebapp } from '../webapp/helpers';

let pot: Started;
let app: Started;
let base: string;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `webapp-${name}.png`), fullPage: true });

/** Clicks Brew and returns the HTTP status of the page the browser ends on. */
async function submitBrew(): Promise<number> {
	const [response] = await Promise.all([page.waitForNavigation(), page.click('form.brew button[type=submit]')]);
	return response?.status() ?? 0;
}

describe.skipIf(!browserAvailable)('coffee web app in Chromium', () => {
	beforeAll(async () => {
		const potPort = await freePort();
		pot = await startPot(potPort, 5);
		({ app, base } = await startWebapp(['--pot', `127.0.0.1:${potPort}`]));
		browser = await launchBrowser();
		page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
		page.on('console', (m) => {
			if (m.type() === 'error') consoleErrors.push(m.text());
		});
		page.on('dialog', (d) => {
			consoleErrors.push(`dialog opened: ${d.message()}`);
			void d.dismiss();
		});
	});

	afterAll(async () => {
		await browser?.close();
		await app?.stop();
		await pot?.stop();
	});

	it('loads the idle home page with its styles and picture', async () => {
		const response = await page.goto(base + '/');
		expect(response?.status()).toBe(200);
		await expect(page.locator('h1').textContent()).resolves.toContain('The pot is idle');
		// The stylesheet applied (no external resources, CSP allows 'self').
		const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
		expect(background).toBe('rgb(247, 241, 234)');
		const potLoaded = await page.evaluate(() => {
			const img = document.querySelector<HTMLImageElement>('img.pot');
			return img !== null && img.complete && img.naturalWidth > 0;
		});
		expect(potLoaded).toBe(true);
		await shot('home-idle');
		await page.setViewportSize({ width: 390, height: 844 });
		await shot('home-phone');
		await page.setViewportSize({ width: 1280, height: 900 });
	});

	it('asks the tea pot for coffee from the form: 418 page', async () => {
		await page.goto(base + '/');
		await page.check('input[name=pots][value=tea]');
		expect(await submitBrew()).toBe(418);
		await expect(page.locator('#error-title').textContent()).resolves.toContain("418 I'm a teapot");
		await shot('error-418');
	});

	it('asks for chamomile from the form: 406 page listing what the pot accepts', async () => {
		await page.goto(base + '/');
		await page.check('input[name=additions][value=chamomile]');
		expect(await submitBrew()).toBe(406);
		await expect(page.locator('#error-title').textContent()).resolves.toContain('406 Not Acceptable');
		expect(await page.locator('#accepted-additions li').count()).toBeGreaterThan(5);
		await shot('error-406');
	});

	it('shows a <script> in an addition name as text and does not run it', async () => {
		const evil = '<script>alert(window.pwned = 1)</script>';
		const response = await page.goto(`${base}/?method=brew&message=start&additions=${encodeURIComponent(evil)}`);
		expect(response?.status()).toBe(406);
		expect(await page.locator('.chip.refused').first().textContent()).toBe(evil);
		expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
	});

	it('shows a deliberately bad request page', async () => {
		const response = await page.goto(base + '/test-501');
		expect(response?.status()).toBe(501);
		await shot('error-501');
	});

	it('brews with cream and the countdown moves', async () => {
		await page.goto(base + '/');
		await page.check('input[name=additions][value=cream]');
		expect(await submitBrew()).toBe(200);
		expect(new URL(page.url()).pathname).toBe('/');
		const counter = page.locator('#countdown');
		await counter.waitFor();
		const first = (await counter.textContent()) ?? '';
		await page.waitForFunction((before) => document.getElementById('countdown')?.textContent !== before, first, { timeout: 30_000 });
		expect(Number(await counter.textContent())).toBeLessThan(Number(first));
		await expect(page.locator('.chips').first().textContent()).resolves.toContain('cream');
		await shot('home-brewing');
	});

	it('shows the beans of the brew', async () => {
		await page.goto(base + '/?method=propfind');
		await expect(page.locator('h1').textContent()).resolves.toMatch(/^Beans: /);
		await shot('beans');
	});

	it('pours milk when the brew ends, and stops it with say-when', async () => {
		await page.goto(base + '/');
		// The page reloads itself when the countdown ends.
		await page.locator('.milk.pouring').waitFor({ timeout: 40_000 });
		await shot('home-milk');
		const [when] = await Promise.all([
			page.waitForResponse((r) => r.url().includes('method=when')),
			page.click('.milk.pouring a.button')
		]);
		expect(when.status()).toBe(302);
		await page.locator('.milk', { hasText: 'Milk stopped' }).waitFor();
	});

	it('shows the log and an unknown page', async () => {
		await page.goto(base + '/log');
		await expect(page.locator('#brew-count').textContent()).resolves.toMatch(/^\d+ brews?$/);
		await shot('log');
		const missing = await page.goto(base + '/nowhere');
		expect(missing?.status()).toBe(404);
		await shot('error-404-page');
		// Nothing the pages did was refused by the Content-Security-Policy, and no dialog opened.
		expect(consoleErrors.filter((e) => !/status of (4\d\d|50\d)/.test(e))).toEqual([]);
	});
});
