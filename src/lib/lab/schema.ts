/**
 * The frontmatter of a lab page, as valibot schemas. The content check, the
 * relay (which grades) and the site (which only sees the public part, see
 * public.ts) all read pages through these. Browser-safe: no Node or DOM.
 *
 * Shape rules a schema cannot say alone (an answer that is one of the
 * options, a traffic question without `answer`...) are in questions.ts;
 * each check's parameters are checked by its own schema in checks.ts.
 */

import * as v from 'valibot';

export const PAGE_KINDS = ['task', 'intro', 'summary'] as const;
export type PageKind = (typeof PAGE_KINDS)[number];

export const QUESTION_TYPES = ['single', 'multiple', 'numeric', 'text', 'order'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const HOPS = ['browser-webapp', 'webapp-pot'] as const;
export type Hop = (typeof HOPS)[number];

export const TRAFFIC_QUERIES = [
	'client-port',
	'server-port',
	'connection-count',
	'frame-of',
	'message-count',
	'header-value',
	'status-of',
	'http-version'
] as const;
export type TrafficQueryName = (typeof TRAFFIC_QUERIES)[number];

export const CHECK_NAMES = [
	'request-seen',
	'status-seen',
	'pot-status',
	'webapp-page',
	'persistent-connection',
	'handshake-seen',
	'conditional-get',
	'redirect-seen',
	'tls-seen',
	'plain-htcpcp-under-tls',
	'program-restarted',
	'terminal-output',
	'pot-conformance',
	'questions-answered'
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const Id = v.pipe(v.string(), v.regex(KEBAB, 'must be kebab-case (lowercase words joined by "-", like saw-teapot)'));
const Text = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'));
const Status = v.pipe(v.number(), v.integer(), v.minValue(100, 'must be a status code (100-599)'), v.maxValue(599, 'must be a status code (100-599)'));

/** Which messages a traffic question or check is about. Every field given must match. */
export const MatchSchema = v.strictObject({
	hop: v.optional(v.picklist(HOPS, `must be one of ${HOPS.join(', ')}`)),
	kind: v.optional(v.picklist(['request', 'response'] as const, 'must be request or response')),
	method: v.optional(Text),
	/** Exact target, or `prefix:/path` for every target starting with /path. */
	target: v.optional(Text),
	status: v.optional(Status),
	protocol: v.optional(v.picklist(['HTTP', 'HTCPCP', 'TLS'] as const, 'must be HTTP, HTCPCP or TLS'))
});
export type Match = v.InferOutput<typeof MatchSchema>;

export const TrafficSchema = v.strictObject({
	query: v.picklist(TRAFFIC_QUERIES, `must be one of ${TRAFFIC_QUERIES.join(', ')}`),
	match: v.optional(MatchSchema),
	/** For `header-value`: the header's name. */
	header: v.optional(Text),
	/** Said to the student, instead of grading, while the traffic does not exist yet. */
	missing: Text
});
export type TrafficSpec = v.InferOutput<typeof TrafficSchema>;

const AnswerValue = v.union([v.string(), v.number(), v.array(v.union([v.string(), v.number()]))], 'must be a string, a number or a list');

export const QuestionSchema = v.strictObject({
	id: Id,
	type: v.picklist(QUESTION_TYPES, `must be one of ${QUESTION_TYPES.join(', ')}`),
	prompt: Text,
	options: v.optional(v.array(v.pipe(v.union([v.string(), v.number()]), v.transform(String)))),
	answer: v.optional(AnswerValue),
	tolerance: v.optional(v.pipe(v.number(), v.minValue(0, 'must be 0 or more'))),
	traffic: v.optional(TrafficSchema),
	explanation: Text,
	points: v.optional(v.pipe(v.number(), v.minValue(0, 'must be 0 or more')))
});
export type Question = v.InferOutput<typeof QuestionSchema>;

export const CheckSchema = v.strictObject({
	id: Id,
	check: v.picklist(CHECK_NAMES, `is not a check the engine knows; use one of ${CHECK_NAMES.join(', ')}`),
	with: v.optional(v.record(v.string(), v.unknown())),
	label: Text,
	checkoff: v.optional(v.boolean())
});
export type CheckDeclaration = v.InferOutput<typeof CheckSchema>;

export const FrontmatterSchema = v.strictObject({
	title: Text,
	kind: v.optional(v.picklist(PAGE_KINDS, `must be one of ${PAGE_KINDS.join(', ')}`)),
	order: v.optional(v.number()),
	minutes: v.optional(v.pipe(v.number(), v.minValue(0))),
	goals: v.optional(v.array(Text)),
	panels: v.optional(v.array(v.string())),
	questions: v.optional(v.array(QuestionSchema)),
	checks: v.optional(v.array(CheckSchema))
});
export type Frontmatter = v.InferOutput<typeof FrontmatterSchema>;

/** One problem at a place in the frontmatter (a path of keys and indexes). */
export interface Problem {
	path: (string | number)[];
	message: string;
}

/** Turns valibot issues into problems, each at the path it names. */
export function issuesToProblems(issues: readonly v.BaseIssue<unknown>[]): Problem[] {
	const out: Problem[] = [];
	for (const issue of issues) {
		const path = (issue.path ?? []).map((p) => p.key as string | number);
		const key = path.length ? String(path.at(-1)) : 'frontmatter';
		let message: string;
		if (issue.type === 'strict_object' && issue.expected === 'never') message = `unknown field "${key}"`;
		else if ((issue.type === 'strict_object' || issue.type === 'object') && issue.received === 'undefined') message = `${key} is required`;
		else if (issue.message.startsWith('Invalid type')) message = `${key} ${issue.message.replace(/^Invalid type: /, '').replace(/^Expected/, 'should be')}`;
		else message = `${key} ${issue.message}`;
		out.push({ path, message });
	}
	return out;
}
