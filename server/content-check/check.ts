/**
 * The content check as a function: every page's frontmatter (schema,
 * questions, checks, panels) and body (components, props, links), each
 * problem as `file:line: what is wrong`.
 */

import path from 'node:path';
import { folderParts } from '../../src/lib/lab/page';
import { loadContent, type Located } from '../lab/content';
import { checkBody } from './body';

export interface CheckOptions {
	contentDir: string;
	componentsDir: string;
	staticDir: string;
}

export interface CheckReport {
	pages: number;
	questions: number;
	checks: number;
	problems: Located[];
}

export function checkContent(options: CheckOptions): CheckReport {
	const loaded = loadContent(options.contentDir);
	const problems = [...loaded.problems];
	const slugs = new Set(loaded.pages.map((p) => p.slug));
	// A page whose frontmatter failed still has an address: links to it are not wrong.
	for (const s of loaded.sources) {
		const parts = folderParts(s.folder);
		if (parts) slugs.add(parts.slug);
	}
	const ctx = { componentsDir: path.resolve(options.componentsDir), staticDir: path.resolve(options.staticDir), slugs };
	for (const source of loaded.sources) problems.push(...checkBody(source, ctx));
	problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
	return {
		pages: loaded.sources.length,
		questions: loaded.pages.reduce((n, p) => n + p.questions.length, 0),
		checks: loaded.pages.reduce((n, p) => n + p.checks.length, 0),
		problems
	};
}

export function formatProblem(p: Located): string {
	return `${p.file}:${p.line}: ${p.message}`;
}
