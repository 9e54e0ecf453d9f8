/**
 * History durability: clients brew as fast as they can while the pot is
 * killed with SIGKILL at a random moment, several times over. Every brew the
 * pot confirmed must be in the history afterwards, every line must still be
 * readable, and a restarted pot starts empty but keeps the history.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { text } from '../../src/lib/protocol/index';
import { seededRandom } from '../../server/pot/beans';
import { HISTORY_SHOWN } from '../../server/pot/handler';
import { HISTORY_FILE, readHistory } from '../../server/pot/history';
import { COFFEE, one, request, startPot, talk, tempDataDir } from './harness';

const dataDir = tempDataDir();
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('history under kill -9', () => {
	it('loses no confirmed brew and stays readable', async () => {
		const random = seededRandom(9);
		let confirmed = 0;
		for (let round = 0; round < 4; round++) {
			const pot = await startPot(['--brew-seconds', '0'], dataDir);
			let killed = false;
			const brew = request('BREW', 'coffee://ducky', { ...COFFEE, 'Accept-Additions': 'rum' }, 'start');
			const clients = Array.from({ length: 4 }, async () => {
				while (!killed) {
					const result = await talk(pot.port, [brew], { expect: 1, timeoutMs: 5000 }).catch(() => null);
					if (result?.responses[0]?.status === 200) confirmed++;
				}
			});
			await new Promise((r) => setTimeout(r, 150 + Math.floor(random() * 400)));
			await pot.stop('SIGKILL');
			killed = true;
			await Promise.all(clients);

			// Every line on disk is a complete JSON record: nothing torn, nothing lost.
			const lines = fs.readFileSync(path.join(dataDir, HISTORY_FILE), 'utf8').split('\n').filter((l) => l !== '');
			for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
			expect(readHistory(dataDir).length).toBeGreaterThanOrEqual(confirmed);
		}
		expect(confirmed).toBeGreaterThan(0);

		const pot = await startPot(['--brew-seconds', '30'], dataDir);
		try {
			const now = await one(pot.port, request('GET', 'coffee://ducky'));
			expect(text(now.body)).toBe('{}');
			const history = JSON.parse(text((await one(pot.port, request('GET', 'coffee://ducky/history'))).body));
			expect(history.length).toBeGreaterThanOrEqual(Math.min(confirmed, HISTORY_SHOWN));
			expect(history.length).toBeLessThanOrEqual(HISTORY_SHOWN);
			expect(history[0]).toMatchObject({ pot: 'ducky', beverage: 'coffee', additions: ['rum'] });
		} finally {
			await pot.stop();
		}
	});
});
