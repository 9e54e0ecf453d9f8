import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HISTORY_FILE, HistoryLog, readHistory } from './history';
import type { BrewEvent } from './state';

const dirs: string[] = [];
function tempDir(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pot-history-'));
	dirs.push(dir);
	return dir;
}
afterEach(() => {
	for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function event(id: string, outcome: BrewEvent['outcome'], minute: number): BrewEvent {
	return {
		id,
		time: `2026-01-01T09:${String(minute).padStart(2, '0')}:00.000Z`,
		pot: 'ducky',
		beverage: 'coffee',
		variety: null,
		additions: ['cream'],
		beans: 'Huila Supremo',
		outcome
	};
}

describe('history', () => {
	it('folds start and end lines into one record per brew, newest first', () => {
		const dir = tempDir();
		const log = new HistoryLog(dir);
		log.append(event('a', 'started', 0));
		log.append(event('a', 'completed', 1));
		log.append(event('b', 'started', 2));
		log.append(event('b', 'stopped', 3));
		log.append(event('c', 'started', 4));
		log.close();
		const records = readHistory(dir);
		expect(records.map((r) => [r.id, r.outcome, r.endedAt])).toEqual([
			['c', 'interrupted', null],
			['b', 'stopped', '2026-01-01T09:03:00.000Z'],
			['a', 'completed', '2026-01-01T09:01:00.000Z']
		]);
		expect(readHistory(dir, 'c')[0].outcome).toBe('brewing');
		expect(records[2]).toMatchObject({ time: '2026-01-01T09:00:00.000Z', pot: 'ducky', beverage: 'coffee', additions: ['cream'], beans: 'Huila Supremo' });
	});

	it('skips a torn last line and starts the next record on a fresh line', () => {
		const dir = tempDir();
		const file = path.join(dir, HISTORY_FILE);
		fs.writeFileSync(file, JSON.stringify(event('a', 'started', 0)) + '\n' + JSON.stringify(event('b', 'started', 1)).slice(0, 30));
		expect(readHistory(dir).map((r) => r.id)).toEqual(['a']);
		const log = new HistoryLog(dir);
		log.append(event('c', 'started', 2));
		log.close();
		expect(readHistory(dir).map((r) => r.id)).toEqual(['c', 'a']);
		expect(fs.readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
	});

	it('reads a missing file as no history', () => {
		expect(readHistory(path.join(tempDir(), 'nowhere'))).toEqual([]);
	});
});
