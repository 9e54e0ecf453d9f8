/**
 * What the browser may know about a page's questions and checks, and the
 * lab state the relay sends it. Answers, accepted forms, tolerances,
 * explanations and traffic queries stay on the relay (it grades); the site
 * gets these public shapes only (svelte.config.js strips the frontmatter the
 * same way before the pages are compiled).
 */

import type { CheckDeclaration, Question, QuestionType } from './schema';
import type { GradeStatus } from './questions';

export interface PublicQuestion {
	id: string;
	type: QuestionType;
	prompt: string;
	options?: string[];
	points: number;
	/** Graded against the student's own traffic. */
	fromTraffic: boolean;
}

export interface PublicCheck {
	id: string;
	check: string;
	label: string;
	checkoff: boolean;
}

export function publicQuestion(q: Question): PublicQuestion {
	return {
		id: q.id,
		type: q.type,
		prompt: q.prompt,
		...(q.options ? { options: [...q.options] } : {}),
		points: q.points ?? 1,
		fromTraffic: q.traffic !== undefined
	};
}

export function publicCheck(c: CheckDeclaration): PublicCheck {
	return { id: c.id, check: c.check, label: c.label, checkoff: c.checkoff ?? false };
}

/** One question's state as the student sees it. */
export interface QuestionState {
	attempts: number;
	correct: boolean;
	/** The last graded answer (kept to show it again after a reload). */
	last?: { value: string | number | string[]; status: GradeStatus; message: string; at: string };
	/** Shown after any graded answer. */
	explanation?: string;
	score: number;
}

export interface CheckState {
	pass: boolean;
	detail: string;
	/** When it first passed (checks stay ticked once passed). */
	passedAt?: string;
}

export interface PageState {
	questions: Record<string, QuestionState>;
	checks: Record<string, CheckState>;
	/** Every check passed and every question answered correctly. */
	complete: boolean;
	score: number;
	maxScore: number;
}

export type LabState = Record<string, PageState>;

/** The reply to an answer. */
export interface AnswerResult {
	status: GradeStatus;
	message: string;
	explanation?: string;
	attempts: number;
	correct: boolean;
}
