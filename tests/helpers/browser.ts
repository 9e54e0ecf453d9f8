/**
 * Test helper: Debian's Chromium driven by playwright-core (no browser
 * download). Tests that need it call `launchBrowser()`; when Chromium is not
 * installed, `browserAvailable` is false and those tests are skipped with the
 * reason printed (install it with `sudo apt-get install chromium`).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ROOT } from './process';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const browserAvailable = existsSync(CHROMIUM);
if (!browserAvailable) {
	console.warn(`Browser tests skipped: no Chromium at ${CHROMIUM} (install it with: sudo apt-get install chromium)`);
}

/** Where screenshots go; CI keeps `test-output/`. */
export const SCREENSHOTS = path.join(ROOT, 'test-output', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
	mkdirSync(SCREENSHOTS, { recursive: true });
	// playwright-core gives every launch a fresh, empty user-data-dir of its own
	// (it refuses a --user-data-dir argument), which is what the tests need.
	return chromium.launch({
		executablePath: CHROMIUM,
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	});
}
