/**
 * One page's frontmatter, checked as a whole: the schema, each question's
 * and check's own rules, unique ids and known panels. Used by the content
 * check (which reports every problem with its line) and by the relay (which
 * loads the pages it grades).
 */

import * as v from 'valibot';
import { parseFilter } from '../protocol/analysis/filter';
import { checkProblems } from './checks';
import { questionProblems } from './questions';
import { CheckSchema, FrontmatterSchema, issuesToProblems, QuestionSchema, type CheckDeclaration, type Frontmatter, type PageKind, type Problem, type Question } from './schema';

export interface LabPage {
	/** The folder name without its number: the page's address. */
	slug: string;
	folder: string;
	number: number;
	kind: PageKind;
	title: string;
	questions: Question[];
	checks: CheckDeclaration[];
	frontmatter: Frontmatter;
}

const TERMINALS = ['pot', 'webapp', 'shell'];

/** Problems in one `panels` entry, or none. */
export function panelProblem(entry: string): string | null {
	const colon = entry.indexOf(':');
	const kind = (colon < 0 ? entry : entry.slice(0, colon)).trim();
	const arg = colon < 0 ? '' : entry.slice(colon + 1).trim();
	if (kind === 'terminal') return TERMINALS.includes(arg) ? null : `"${entry}" names no terminal; use terminal:pot, terminal:webapp or terminal:shell`;
	if (kind === 'inspector' || kind === 'diagram') return arg === '' ? null : filterProblem(arg);
	return `unknown panel "${entry}"; use terminal:NAME, inspector[:FILTER] or diagram[:FILTER]`;
}

/** Why a display filter does not compile, or null. */
export function filterProblem(filter: string): string | null {
	try {
		parseFilter(filter);
		return null;
	} catch (error) {
		return `display filter "${filter}" does not compile: ${(error as Error).message}`;
	}
}

export function folderParts(folder: string): { number: number; slug: string } | null {
	const m = /^(\d+)-(.+)$/.exec(folder);
	return m ? { number: Number(m[1]), slug: m[2] } : null;
}

/** Validates a page's parsed frontmatter; `page` is null when the frontmatter itself is unusable. */
export function checkFrontmatter(folder: string, data: unknown): { page: LabPage | null; problems: Problem[] } {
	const problems: Problem[] = [];
	const parts = folderParts(folder);
	if (!parts) problems.push({ path: [], message: `the folder "${folder}" is not named NN-name (e.g. 03-tcp-and-ports)` });
	// Questions and checks are validated one by one, so one bad entry does not hide the others' problems.
	const raw = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
	const questions: Question[] = [];
	const checks: CheckDeclaration[] = [];
	// Where each valid entry sat in the list, for problem paths.
	const at = new Map<object, number>();
	const each = <T extends object>(key: 'questions' | 'checks', schema: v.GenericSchema<unknown, T>, into: T[]) => {
		const list = raw[key];
		if (!Array.isArray(list)) return;
		list.forEach((item, i) => {
			const r = v.safeParse(schema, item);
			if (r.success) {
				into.push(r.output);
				at.set(r.output, i);
			}
			else for (const p of issuesToProblems(r.issues)) problems.push({ path: [key, i, ...p.path], message: p.message });
		});
	};
	each('questions', QuestionSchema, questions);
	each('checks', CheckSchema, checks);
	const parsed = v.safeParse(FrontmatterSchema, { ...raw, questions: undefined, checks: undefined });
	if (!parsed.success) problems.push(...issuesToProblems(parsed.issues));
	const panels = Array.isArray(raw.panels) ? raw.panels : [];
	panels.forEach((p, i) => {
		if (typeof p !== 'string') return;
		const why = panelProblem(p);
		if (why) problems.push({ path: ['panels', i], message: why });
	});
	const seen = new Set<string>();
	questions.forEach((q) => {
		const i = at.get(q) ?? 0;
		if (seen.has(q.id)) problems.push({ path: ['questions', i, 'id'], message: `question id "${q.id}" is used twice in this page` });
		seen.add(q.id);
		for (const p of questionProblems(q)) problems.push({ path: ['questions', i, ...p.path], message: p.message });
	});
	const seenChecks = new Set<string>();
	checks.forEach((c) => {
		const i = at.get(c) ?? 0;
		if (seenChecks.has(c.id)) problems.push({ path: ['checks', i, 'id'], message: `check id "${c.id}" is used twice in this page` });
		seenChecks.add(c.id);
		for (const p of checkProblems(c)) problems.push({ path: ['checks', i, ...p.path], message: p.message });
	});
	if (!parts || !parsed.success) return { page: null, problems };
	const fm: Frontmatter = { ...parsed.output, questions, checks };
	return {
		page: {
			slug: parts.slug,
			folder,
			number: parts.number,
			kind: fm.kind ?? 'task',
			title: fm.title,
			questions: fm.questions ?? [],
			checks: fm.checks ?? [],
			frontmatter: fm
		},
		problems
	};
}
