/**
 * The replay page in Chromium (run `npx vite build` first): it lists the
 * data folder's recordings, opens one, shows the verdict, plays, seeks, and
 * the terminals, inspector and diagram follow the position.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchBrowser, SCREENSHOTS } from '../helpers/browser';
import { ROOT } from '../helpers/process';
import { generateRecordingKeys, SessionRecorder } from '../../server/recording/index';
import { CHECKOFF_STEPS, recordSession, tempDir, WITHOUT_406 } from '../checkoff/session';
import { serveRecordings } from './server';

const built = fs.existsSync(path.join(ROOT, 'build', 'handler.js'));

describe.skipIf(!browserAvailable || !built)('replay page in Chromium', () => {
	let browser: Browser;
	let page: Page;
	let server: Awaited<ReturnType<typeof serveRecordings>>;
	let good: string;
	let skipped: string;
	const data = tempDir('replay-e2e-');

	beforeAll(async () => {
		good = await recordSession(data, CHECKOFF_STEPS, { student: 'Browser Student (s7)' });
		skipped = await recordSession(data, WITHOUT_406, { student: 'Skipper (s8)' });
		server = await serveRecordings(path.dirname(good), null, true);
		browser = await launchBrowser();
		page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
	}, 120_000);
	afterAll(async () => {
		await browser?.close();
		await server?.close();
		fs.rmSync(data, { recursive: true, force: true });
	});

	const position = async () => Number(await page.locator('[data-position]').getAttribute('data-position'));
	const frameCount = async () => Number((/(\d+) of (\d+) frames/.exec((await page.locator('.inspector .count').textContent()) ?? '') ?? [])[2] ?? -1);
	const seek = (ms: number) =>
		page.locator('[data-seek]').evaluate((el, value) => {
			const input = el as HTMLInputElement;
			input.value = String(value);
			input.dispatchEvent(new Event('input', { bubbles: true }));
		}, ms);

	it('opens a recording from the data folder and shows the verdict', async () => {
		await page.goto(`${server.base}/replay`);
		await page.locator(`[data-open="${path.basename(good)}"]`).click();
		await page.locator('[data-verdict="pass"]').waitFor({ timeout: 30_000 });
		expect(await page.locator('[data-student]').textContent()).toBe('Browser Student (s7)');
		expect(await page.locator('[data-criterion="page-406"]').getAttribute('data-pass')).toBe('true');
		expect(await page.locator('[data-replay-terminal]').count()).toBe(3);
		// At the start nothing has happened yet.
		expect(await position()).toBe(0);
	}, 60_000);

	it('plays, and the terminals and the inspector follow', async () => {
		await page.locator('[data-speed]').selectOption('64');
		await page.locator('[data-play]').click();
		await page.waitForFunction(() => Number(document.querySelector('[data-position]')?.getAttribute('data-position')) > 0, null, { timeout: 30_000 });
		// Played to the end (a short session at 64x), it stops by itself.
		await page.waitForFunction(() => document.querySelector('[data-play]')?.textContent?.includes('Play'), null, { timeout: 60_000 });
		expect(await frameCount()).toBeGreaterThan(100);
		await page.waitForFunction(() => document.querySelector('[data-replay-terminal="shell"] .xterm-rows')?.textContent?.includes('/test-400'), null, { timeout: 10_000 });
		expect(await page.locator('.diagram [data-arrow-frame]').count()).toBeGreaterThan(0);
		await page.screenshot({ path: path.join(SCREENSHOTS, 'replay-end.png'), fullPage: true });
	}, 90_000);

	it('seeks back to the start and forward again', async () => {
		await seek(0);
		await page.waitForFunction(() => /\b0 of 0 frames/.test(document.querySelector('.inspector .count')?.textContent ?? ''), null, { timeout: 10_000 });
		expect(await page.locator('[data-replay-terminal="shell"]').getAttribute('data-shown')).toBe('0');
		const end = Number(await page.locator('[data-seek]').getAttribute('max'));
		await seek(end);
		await page.waitForFunction(() => !/\b0 of 0 frames/.test(document.querySelector('.inspector .count')?.textContent ?? ''), null, { timeout: 10_000 });
		expect(await frameCount()).toBeGreaterThan(100);
		// xterm draws on its next frame.
		await page.waitForFunction(() => document.querySelector('[data-replay-terminal="shell"] .xterm-rows')?.textContent?.includes('/test-415'), null, { timeout: 10_000 });
	}, 60_000);

	it('uploads a recording that skipped the 406 and shows it failing that criterion', async () => {
		await page.locator('[data-upload]').setInputFiles(skipped);
		await page.locator('[data-verdict="fail"]').waitFor({ timeout: 30_000 });
		expect(await page.locator('[data-criterion="page-406"]').getAttribute('data-pass')).toBe('false');
		expect(await page.locator('.verdict .reason').textContent()).toBe('missing: page-406');
		await page.screenshot({ path: path.join(SCREENSHOTS, 'replay-fail.png'), fullPage: true });
	}, 60_000);

	it('shows "Recording" in the header and sends the name the student types', async () => {
		const recorder = SessionRecorder.open({ dataDir: data, tutorVersion: '0.1.0', keys: generateRecordingKeys(), writer: { checkpointMs: 0 } });
		const live = await serveRecordings(path.dirname(recorder.path), recorder, true);
		try {
			await page.goto(`${live.base}/`);
			await page.locator('[data-recording="true"]').waitFor({ timeout: 30_000 });
			expect(await page.locator('[data-student-name]').textContent()).toBe('no name yet');
			await page.locator('[data-student-edit]').click();
			await page.locator('[data-student-input]').fill('Mary Jackson (s1234)');
			await page.keyboard.press('Enter');
			await page.waitForFunction(() => document.querySelector('[data-student-name]')?.textContent === 'Mary Jackson (s1234)', null, { timeout: 10_000 });
			expect(recorder.student).toBe('Mary Jackson (s1234)');
			await page.screenshot({ path: path.join(SCREENSHOTS, 'replay-recording-badge.png') });
		} finally {
			recorder.close();
			await live.close();
		}
	}, 60_000);
});
