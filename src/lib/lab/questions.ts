/**
 * Questions: the rules a well-formed question follows beyond its schema, and
 * grading. Static questions are graded against their `answer`; traffic
 * questions against what their query finds in the student's snapshot. A
 * traffic question whose traffic is not there yet is neither right nor
 * wrong: the student gets its `missing` text and no attempt is counted.
 */

import type { Problem, Question } from './schema';
import { runQuery } from './queries';
import type { LabSnapshot } from './snapshot';

export type AnswerValue = string | number | string[];

export type GradeStatus = 'correct' | 'wrong' | 'missing' | 'invalid';

export interface Grade {
	status: GradeStatus;
	/** One line for the student: what was wrong with the input, or what the traffic answer was taken from. */
	message: string;
}

const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

function list(value: unknown): unknown[] | null {
	return Array.isArray(value) ? value : null;
}

/** Problems a question has that its schema cannot see; paths are relative to the question. */
export function questionProblems(q: Question): Problem[] {
	const out: Problem[] = [];
	const add = (path: (string | number)[], message: string) => out.push({ path, message });
	const options = q.options;
	const needsOptions = q.type === 'single' || q.type === 'multiple' || q.type === 'order';
	if (needsOptions && (!options || options.length < 2)) add(['options'], `a ${q.type} question needs at least two options`);
	if (options && new Set(options.map(norm)).size !== options.length) add(['options'], 'options must all differ');
	if (options && (q.type === 'numeric' || q.type === 'text')) add(['options'], `a ${q.type} question has no options (the student types the answer)`);
	if (q.answer !== undefined && q.traffic) add(['traffic'], 'give either answer or traffic, not both');
	if (q.answer === undefined && !q.traffic) add(['answer'], 'answer is required (or traffic, for a question graded against the student\'s traffic)');
	if (q.tolerance !== undefined && q.type !== 'numeric') add(['tolerance'], 'tolerance only applies to numeric questions');
	if (q.traffic) {
		if (q.type === 'multiple' || q.type === 'order') add(['type'], 'a traffic question is numeric, text or single');
		if (q.traffic.query === 'header-value' && !q.traffic.header) add(['traffic', 'header'], 'header-value needs header: (the header\'s name)');
		if (q.traffic.header && q.traffic.query !== 'header-value') add(['traffic', 'header'], 'header only applies to the header-value query');
		return out;
	}
	const a = q.answer;
	if (a === undefined) return out;
	const inOptions = (x: unknown) => options?.some((o) => norm(o) === norm(String(x))) ?? false;
	switch (q.type) {
		case 'single':
			if (list(a) || !inOptions(a)) add(['answer'], 'answer must be one of the options');
			break;
		case 'multiple': {
			const items = list(a) ?? [a];
			if (items.length === 0) add(['answer'], 'answer must list at least one option');
			for (const x of items) if (!inOptions(x)) add(['answer'], `answer "${String(x)}" is not one of the options`);
			break;
		}
		case 'order': {
			const items = list(a);
			if (!items || !options || items.length !== options.length || !options.every((o) => items.some((x) => norm(String(x)) === norm(o))))
				add(['answer'], 'answer must list every option exactly once, in the right order');
			break;
		}
		case 'numeric':
			if (typeof a !== 'number') add(['answer'], 'answer must be a number');
			break;
		case 'text':
			if ((list(a) ?? [a]).some((x) => String(x).trim() === '')) add(['answer'], 'accepted forms must not be empty');
			break;
	}
	return out;
}

function asNumber(value: AnswerValue): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
	return null;
}

function sameSet(a: string[], b: string[]): boolean {
	const x = new Set(a.map(norm));
	const y = new Set(b.map(norm));
	return x.size === y.size && [...x].every((i) => y.has(i));
}

/** Checks that a value has the shape the question asks for; null when it does. */
export function shapeProblem(q: Question, value: AnswerValue): string | null {
	switch (q.type) {
		case 'single':
			if (typeof value !== 'string' || !(q.options ?? []).some((o) => norm(o) === norm(value))) return 'choose one of the options';
			return null;
		case 'multiple':
			if (!Array.isArray(value) || value.length === 0) return 'choose at least one option';
			if (!value.every((x) => (q.options ?? []).some((o) => norm(o) === norm(x)))) return 'choose among the options only';
			return null;
		case 'order':
			if (!Array.isArray(value) || !q.options || value.length !== q.options.length || !sameSet(value, q.options)) return 'put every option in order, each once';
			return null;
		case 'numeric':
			return asNumber(value) === null ? 'type a number' : null;
		case 'text':
			return typeof value !== 'string' || value.trim() === '' ? 'type an answer' : null;
	}
}

/** Grades one answer. Traffic questions need the snapshot. */
export function grade(q: Question, value: AnswerValue, snapshot: LabSnapshot): Grade {
	const shape = shapeProblem(q, value);
	if (shape) return { status: 'invalid', message: shape };
	if (q.traffic) {
		const found = runQuery(q.traffic, snapshot);
		if (!found) return { status: 'missing', message: q.traffic.missing };
		const ok = found.accepted.some((want) => {
			if (typeof want === 'number') {
				const n = asNumber(value);
				return n !== null && Math.abs(n - want) <= (q.tolerance ?? 0);
			}
			return typeof value === 'string' && norm(value) === norm(want);
		});
		return { status: ok ? 'correct' : 'wrong', message: `Graded against your traffic: ${found.from}.` };
	}
	const a = q.answer!;
	let ok = false;
	switch (q.type) {
		case 'single':
			ok = norm(String(value)) === norm(String(a));
			break;
		case 'multiple':
			ok = sameSet(value as string[], (Array.isArray(a) ? a : [a]).map(String));
			break;
		case 'order':
			ok = (value as string[]).map(norm).join('\n') === (a as unknown[]).map((x) => norm(String(x))).join('\n');
			break;
		case 'numeric':
			ok = Math.abs((asNumber(value) as number) - Number(a)) <= (q.tolerance ?? 0);
			break;
		case 'text':
			ok = (Array.isArray(a) ? a : [a]).some((form) => norm(String(form)) === norm(value as string));
			break;
	}
	return { status: ok ? 'correct' : 'wrong', message: '' };
}
