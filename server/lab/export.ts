/**
 * The student's results for the course LMS or a TA: JSON (everything: every
 * question's attempts and answers, every check) and CSV (one row per question
 * and per check).
 */

import type { LabService } from './service';

export function exportJson(lab: LabService): unknown {
	lab.flush();
	const stored = lab.store.all();
	return {
		exportedAt: new Date().toISOString(),
		pages: lab.pages.map((page) => {
			const state = lab.pageState(page);
			return {
				page: page.slug,
				title: page.title,
				complete: state.complete,
				score: state.score,
				maxScore: state.maxScore,
				questions: page.questions.map((q) => {
					const s = stored.pages[page.slug]?.questions[q.id];
					return {
						id: q.id,
						prompt: q.prompt,
						points: q.points ?? 1,
						attempts: s?.attempts ?? 0,
						correct: s?.correct ?? false,
						score: s?.score ?? 0,
						firstCorrectAt: s?.firstCorrectAt ?? null,
						answers: s?.history ?? []
					};
				}),
				checks: page.checks.map((c) => ({ id: c.id, label: c.label, checkoff: c.checkoff ?? false, ...state.checks[c.id] }))
			};
		})
	};
}

/** One CSV field (RFC 4180 section 2: quoted when it holds a comma, quote or line break). */
function field(value: unknown): string {
	const text = value === undefined || value === null ? '' : Array.isArray(value) ? value.join(' | ') : String(value);
	// A leading = + - @ would make a spreadsheet run it as a formula.
	const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
	return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function exportCsv(lab: LabService): string {
	lab.flush();
	const rows: unknown[][] = [['page', 'item', 'id', 'attempts', 'correct', 'score', 'points', 'last answer', 'when', 'detail']];
	for (const page of lab.pages) {
		const state = lab.pageState(page);
		for (const q of page.questions) {
			const s = state.questions[q.id];
			rows.push([page.slug, 'question', q.id, s.attempts, s.correct ? 'yes' : 'no', s.score, q.points ?? 1, s.last?.value, s.last?.at, s.last?.status]);
		}
		for (const c of page.checks) {
			const s = state.checks[c.id];
			rows.push([page.slug, c.checkoff ? 'check (checkoff)' : 'check', c.id, '', s.pass ? 'yes' : 'no', '', '', '', s.passedAt, s.detail]);
		}
	}
	return rows.map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
