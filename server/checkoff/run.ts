/**
 * The checkoff as a library: find the recordings named on the command line
 * (files, or folders searched for `*.labrec`), check each, and hand back the
 * results in the order given. `main.ts` is only the command line around it.
 */

import fs from 'node:fs';
import path from 'node:path';
import type { CheckoffResult } from '../../src/lib/replay/model';
import type { Criteria } from './criteria';
import { checkFile, type CheckOptions } from './evaluate';

/** A path the user gave that cannot be used; `message` is the line to print. */
export class InputError extends Error {}

export const RECORDING_EXT = '.labrec';

function walk(dir: string, out: string[]): void {
	const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
	for (const e of entries) {
		const full = path.join(dir, e.name);
		if (e.isDirectory()) walk(full, out);
		else if (e.isFile() && e.name.endsWith(RECORDING_EXT)) out.push(full);
	}
}

/** The recordings named by `paths`: files as given, folders searched (recursively) for `*.labrec`. */
export function collectFiles(paths: readonly string[]): string[] {
	const out: string[] = [];
	for (const p of paths) {
		let stat: fs.Stats;
		try {
			stat = fs.statSync(p);
		} catch {
			throw new InputError(`${p} does not exist; name .labrec files or folders that hold them`);
		}
		if (stat.isDirectory()) {
			const found: string[] = [];
			try {
				walk(p, found);
			} catch (error) {
				throw new InputError(`cannot read the folder ${p} (${(error as NodeJS.ErrnoException).code})`);
			}
			if (found.length === 0) throw new InputError(`${p} holds no ${RECORDING_EXT} files; name the folder the recordings were collected in`);
			out.push(...found);
		} else out.push(p);
	}
	return [...new Set(out)];
}

export interface RunOptions extends CheckOptions {
	/** Called after each recording (for a progress bar). */
	onProgress?: (done: number, file: string) => void;
}

export function runCheckoff(files: readonly string[], criteria: Criteria, options: RunOptions = {}): CheckoffResult[] {
	const results: CheckoffResult[] = [];
	for (const file of files) {
		options.onProgress?.(results.length, file);
		results.push(checkFile(file, criteria, options).result);
	}
	options.onProgress?.(results.length, '');
	return results;
}

/** 0 when every recording was read and is intact, whatever the students' results; 1 otherwise. */
export function exitCodeOf(results: readonly CheckoffResult[]): 0 | 1 {
	return results.some((r) => r.verdict === 'rejected' || r.verdict === 'unreadable') ? 1 : 0;
}
