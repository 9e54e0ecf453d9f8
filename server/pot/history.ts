/**
 * The brew history: an append-only file of JSON lines, `history.jsonl` in the
 * pot's data directory. Each brew writes a `started` line when it starts and a
 * `completed` or `stopped` line (same `id`) when it ends. Every line is written
 * with one write call and flushed with fsync before the pot answers, so a
 * `kill -9` at any moment loses no line whose response was sent.
 *
 * The reader is tolerant: a line that is not valid JSON (a torn last line after
 * a power cut, or stray bytes) is skipped, and the writer starts a fresh line
 * when the file does not end with a newline.
 */

import fs from 'node:fs';
import path from 'node:path';
import type { Beverage, BrewEvent, PotName } from './state';

export const HISTORY_FILE = 'history.jsonl';

/** How a brew ended. `interrupted`: it was brewing when the pot stopped running. */
export type HistoryOutcome = 'brewing' | 'completed' | 'stopped' | 'interrupted';

/** One brew, as the web app's `/log` page shows it. */
export interface HistoryRecord {
	id: string;
	/** When the brew started (ISO 8601). */
	time: string;
	pot: PotName;
	beverage: Beverage;
	variety: string | null;
	additions: string[];
	beans: string;
	outcome: HistoryOutcome;
	/** When it completed or was stopped; null while brewing or when interrupted. */
	endedAt: string | null;
}

function isEvent(value: unknown): value is BrewEvent {
	if (typeof value !== 'object' || value === null) return false;
	const v = value as Record<string, unknown>;
	return (
		typeof v.id === 'string' &&
		typeof v.time === 'string' &&
		(v.pot === 'ducky' || v.pot === 'tea') &&
		(v.beverage === 'coffee' || v.beverage === 'tea') &&
		Array.isArray(v.additions) &&
		typeof v.beans === 'string' &&
		(v.outcome === 'started' || v.outcome === 'completed' || v.outcome === 'stopped')
	);
}

/** Parses history text, skipping lines that are not complete events. */
export function parseEvents(content: string): BrewEvent[] {
	const events: BrewEvent[] = [];
	for (const line of content.split('\n')) {
		if (line.trim() === '') continue;
		try {
			const value: unknown = JSON.parse(line);
			if (isEvent(value)) events.push(value);
		} catch {
			/* a torn or foreign line: skip it */
		}
	}
	return events;
}

/** Folds events into one record per brew, oldest first. */
export function foldEvents(events: readonly BrewEvent[], currentId?: string): HistoryRecord[] {
	const byId = new Map<string, HistoryRecord>();
	for (const e of events) {
		const known = byId.get(e.id);
		if (e.outcome === 'started') {
			if (!known) {
				byId.set(e.id, {
					id: e.id,
					time: e.time,
					pot: e.pot,
					beverage: e.beverage,
					variety: e.variety ?? null,
					additions: e.additions.filter((a): a is string => typeof a === 'string'),
					beans: e.beans,
					outcome: e.id === currentId ? 'brewing' : 'interrupted',
					endedAt: null
				});
			}
		} else if (known) {
			known.outcome = e.outcome;
			known.endedAt = e.time;
		}
	}
	return [...byId.values()];
}

/**
 * Reads the history of the pot whose `--data` directory is `dataDir`, newest
 * first. A brew without an end line is `interrupted` unless its id is
 * `currentId` (the pot itself passes the brew in progress).
 */
export function readHistory(dataDir: string, currentId?: string): HistoryRecord[] {
	let content: string;
	try {
		content = fs.readFileSync(path.join(dataDir, HISTORY_FILE), 'utf8');
	} catch (e) {
		if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
		throw e;
	}
	return foldEvents(parseEvents(content), currentId).reverse();
}

/** The pot's writer; also keeps the events in memory so GET /history never reads the disk. */
export class HistoryLog {
	readonly file: string;
	private readonly fd: number;
	private readonly events: BrewEvent[];

	constructor(dataDir: string) {
		fs.mkdirSync(dataDir, { recursive: true });
		this.file = path.join(dataDir, HISTORY_FILE);
		this.fd = fs.openSync(this.file, 'a+');
		const content = fs.readFileSync(this.file, 'utf8');
		this.events = parseEvents(content);
		// A torn last line must not swallow the next record.
		if (content.length > 0 && !content.endsWith('\n')) this.writeAll('\n');
	}

	append(event: BrewEvent): void {
		this.writeAll(JSON.stringify(event) + '\n');
		fs.fsyncSync(this.fd);
		this.events.push(event);
	}

	/** Newest first; `limit` keeps the newest few. */
	records(currentId?: string, limit = 1000): HistoryRecord[] {
		const all = foldEvents(this.events, currentId);
		return all.slice(Math.max(0, all.length - limit)).reverse();
	}

	close(): void {
		fs.closeSync(this.fd);
	}

	private writeAll(text: string): void {
		const bytes = Buffer.from(text, 'utf8');
		let at = 0;
		while (at < bytes.length) at += fs.writeSync(this.fd, bytes, at, bytes.length - at);
	}
}
