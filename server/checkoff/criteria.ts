/**
 * The checkoff's criteria, read from the lab's content: every step check a
 * page marks `checkoff: true` (src/lib/lab `checkoffChecks`) and every
 * question with its points. The instructor changes the checkoff by editing
 * the markdown; nothing about it is written here.
 */

import path from 'node:path';
import { checkoffChecks } from '../../src/lib/lab/checks';
import type { LabPage } from '../../src/lib/lab/page';
import type { CheckDeclaration } from '../../src/lib/lab/schema';
import { loadContent } from '../lab/content';
import { ROOT_DIR } from '../shared/paths';

export const DEFAULT_CONTENT_DIR = path.join(ROOT_DIR, 'content');

export interface Criterion {
	/** Column name: the check's id, prefixed by its page when two pages use the same id. */
	column: string;
	page: string;
	check: CheckDeclaration;
}

export interface Criteria {
	contentDir: string;
	pages: LabPage[];
	checks: Criterion[];
	/** Points per question, by page then question id. */
	points: Map<string, Map<string, number>>;
	totalPoints: number;
	questionCount: number;
}

/** A content folder that cannot be used; `message` is one line naming the file and line. */
export class CriteriaError extends Error {}

export function criteriaFromPages(pages: LabPage[], contentDir = '(pages)'): Criteria {
	const listed = checkoffChecks(pages);
	const seen = new Map<string, number>();
	for (const c of listed) seen.set(c.check.id, (seen.get(c.check.id) ?? 0) + 1);
	const checks = listed.map((c) => ({ column: (seen.get(c.check.id) ?? 0) > 1 ? `${c.page}/${c.check.id}` : c.check.id, page: c.page, check: c.check }));
	const points = new Map<string, Map<string, number>>();
	let totalPoints = 0;
	let questionCount = 0;
	for (const p of pages) {
		const m = new Map<string, number>();
		for (const q of p.questions) {
			m.set(q.id, q.points ?? 1);
			totalPoints += q.points ?? 1;
			questionCount++;
		}
		points.set(p.slug, m);
	}
	return { contentDir, pages, checks, points, totalPoints, questionCount };
}

export function loadCriteria(contentDir = DEFAULT_CONTENT_DIR): Criteria {
	const loaded = loadContent(contentDir);
	if (loaded.problems.length > 0) {
		const p = loaded.problems[0];
		const more = loaded.problems.length > 1 ? ` (and ${loaded.problems.length - 1} more; run npm run content:check)` : '';
		throw new CriteriaError(`the content in ${contentDir} has problems: ${p.file}:${p.line}: ${p.message}${more}`);
	}
	if (loaded.pages.length === 0) throw new CriteriaError(`${contentDir} holds no lab pages; point --content at the lab's content folder`);
	return criteriaFromPages(loaded.pages, contentDir);
}
