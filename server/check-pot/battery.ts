/**
 * The "check my pot" conformance battery: the lab's request checks and the
 * rest of the pot's behaviour (lab.md, task 1), as cases run in this order
 * against any pot. Each case is one request on its own TCP connection and a
 * verdict over the parsed response. The order keeps the pot's state right:
 * stop before start, start before the busy check, stop again at the end.
 * docs/check-pot.md explains every case.
 */

import type { HtcpcpRequest } from '../client/exchange';
import {
	ADDITIONS,
	COFFEE_COMMAND_TYPE,
	COFFEE_RESPONSE_TYPE,
	COFFEE_SCHEMES,
	POT_HOST,
	WRONG_TEA_COMMAND_TYPE,
	getHeader,
	mediaType,
	startLine,
	text,
	type Header,
	type HttpMessage
} from '../../src/lib/protocol/index';

export interface Verdict {
	pass: boolean;
	reason: string;
}

export interface PotCase {
	/** Short id, used by `--only`. */
	name: string;
	/** The lab requirement the case checks, in a sentence. */
	requirement: string;
	request: HtcpcpRequest;
	verdict: (response: HttpMessage) => Verdict;
	/**
	 * The request must be refused; if a pot accepts it anyway (2xx), the runner
	 * sends BREW stop afterwards so the pot is empty for the next case.
	 */
	undoIfAccepted?: boolean;
}

const POT_URI = `coffee://${POT_HOST}`;
const commandType: Header = { name: 'Content-Type', value: COFFEE_COMMAND_TYPE };

const get = (target = POT_URI, headers: Header[] = [commandType]): HtcpcpRequest => ({ method: 'GET', target, headers });
const brew = (body: string, extra: Header[] = []): HtcpcpRequest => ({
	method: 'BREW',
	target: POT_URI,
	headers: [commandType, ...extra],
	body
});

const pass = (reason: string): Verdict => ({ pass: true, reason });
const fail = (reason: string): Verdict => ({ pass: false, reason });

function bodyText(r: HttpMessage, max = 60): string {
	const t = text(r.body).trim().replace(/\s+/g, ' ');
	return t.length > max ? `${t.slice(0, max)}...` : t;
}

/** Passes when the status is exactly `status`; `more` adds checks on a response with that status. */
function expectStatus(status: number, more?: (r: HttpMessage) => Verdict) {
	return (r: HttpMessage): Verdict => {
		if (r.status !== status) {
			const body = bodyText(r);
			return fail(`expected status ${status}, got ${r.status}${body ? ` (body: ${body})` : ''}`);
		}
		return more ? more(r) : pass(`answered ${status} ${r.reason ?? ''}`.trim());
	};
}

function jsonObject(r: HttpMessage): Record<string, unknown> | null {
	try {
		const value: unknown = JSON.parse(text(r.body));
		return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
	} catch {
		return null;
	}
}

// RFC 9110 section 5.6.7: the preferred Date format, e.g. "Sun, 06 Nov 1994 08:49:37 GMT".
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

function checkHeaders(r: HttpMessage): Verdict {
	const missing: string[] = [];
	const wrong: string[] = [];
	if (!getHeader(r.headers, 'server')) missing.push('Server');
	const date = getHeader(r.headers, 'date');
	if (date === undefined) missing.push('Date');
	else if (Number.isNaN(Date.parse(date))) wrong.push(`Date "${date}" is not a date`);
	const type = getHeader(r.headers, 'content-type');
	if (type === undefined) missing.push('Content-Type');
	else if (mediaType(type) !== COFFEE_RESPONSE_TYPE) wrong.push(`Content-Type is "${type}", not ${COFFEE_RESPONSE_TYPE}`);
	const length = getHeader(r.headers, 'content-length');
	if (length === undefined) missing.push('Content-Length');
	else if (!/^\d+$/.test(length.trim()) || Number(length) !== r.body.length) {
		wrong.push(`Content-Length says ${length} but the body has ${r.body.length} bytes`);
	}
	if (missing.length > 0 || wrong.length > 0) {
		const parts = [...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []), ...wrong];
		return fail(parts.join('; '));
	}
	const note = date !== undefined && !IMF_FIXDATE.test(date) ? ` (Date "${date}" parses, though RFC 9110 prefers the form "Sun, 06 Nov 1994 08:49:37 GMT")` : '';
	return pass(`Server, Date, Content-Type ${COFFEE_RESPONSE_TYPE} and a correct Content-Length are all there${note}`);
}

function statusLineVerdict(r: HttpMessage): Verdict {
	const line = startLine(r);
	if (r.versionMajor !== 1) return fail(`"${line}": the version must be HTCPCP/1.x or HTTP/1.x`);
	if (r.status === undefined || r.status < 100 || r.status > 599) return fail(`"${line}": the status code must be three digits from 100 to 599`);
	if (!r.reason || r.reason.trim() === '') return fail(`"${line}": the status line has no reason phrase (e.g. "OK" after 200)`);
	return pass(`"${line}" has a version, a status code and a reason phrase`);
}

const offeredNames = ADDITIONS.map((a) => a.name);

const cases: PotCase[] = [
	{
		name: 'status-line',
		requirement: 'Task 1: the response starts with a status line, HTCPCP/1.1 (or HTTP/1.1), a status code and a reason phrase.',
		request: get(),
		verdict: statusLineVerdict
	},
	{
		name: 'get-headers',
		requirement: `Task 1: a 200 response carries Server, Date, Content-Type: ${COFFEE_RESPONSE_TYPE} and Content-Length.`,
		request: get(),
		verdict: expectStatus(200, checkHeaders)
	},
	{
		name: 'brew-stop-first',
		requirement: 'BREW with body stop empties the pot (sent first so the run starts from an idle pot).',
		request: brew('stop'),
		verdict: expectStatus(200)
	},
	{
		name: 'get-idle',
		requirement: 'GET on an idle pot answers 200 with the JSON body {}.',
		request: get(),
		verdict: expectStatus(200, (r) => {
			const value = jsonObject(r);
			if (value === null) return fail(`the body "${bodyText(r)}" is not a JSON object; an idle pot answers {}`);
			const keys = Object.keys(value);
			return keys.length === 0 ? pass('200 with {}') : fail(`an idle pot answers {}, this one said ${bodyText(r)}`);
		})
	},
	{
		name: 'brew-start',
		requirement: 'BREW with body start and Content-Type application/coffee-pot-command starts a brew: 200.',
		request: brew('start'),
		verdict: expectStatus(200)
	},
	{
		name: 'get-brewing',
		requirement: 'GET while brewing answers 200 with a JSON object describing the brew.',
		request: get(),
		verdict: expectStatus(200, (r) => {
			const value = jsonObject(r);
			if (value === null) return fail(`the body "${bodyText(r)}" is not a JSON object`);
			return Object.keys(value).length > 0 ? pass(`200 with ${bodyText(r)}`) : fail('the pot is brewing but GET answered {}');
		})
	},
	{
		name: 'brew-busy',
		requirement: 'BREW start while a brew is in progress is refused with a 4xx (the original pot says 406 "Pot is busy"), not 418.',
		request: brew('start'),
		verdict: (r) => {
			const status = r.status ?? 0;
			if (status === 418) return fail('418 means "I\'m a teapot"; a busy coffee pot should refuse with another 4xx such as 406 or 409');
			if (status >= 400 && status < 500) return pass(`refused with ${status} ${r.reason ?? ''}`.trim());
			return fail(`a second BREW start while brewing was answered ${status}; it should be refused with a 4xx`);
		}
	},
	{
		name: 'propfind',
		requirement: 'PROPFIND answers 200 with the metadata of the beans used for the current brew.',
		request: { method: 'PROPFIND', target: POT_URI, headers: [commandType] },
		verdict: expectStatus(200, (r) =>
			text(r.body).trim() === '' ? fail('200 but the body is empty; PROPFIND returns the beans of the brew') : pass(`200 with ${bodyText(r)}`)
		)
	},
	{
		name: 'when',
		requirement: 'WHEN (stop pouring milk) answers 200.',
		request: { method: 'WHEN', target: POT_URI, headers: [commandType] },
		verdict: expectStatus(200)
	},
	{
		name: 'brew-stop',
		requirement: 'BREW with body stop stops the brew in progress: 200.',
		request: brew('stop'),
		verdict: expectStatus(200)
	},
	{
		name: 'scheme-caffeine',
		requirement: 'Task 1 request check: a scheme that is not a coffee scheme (caffeine://) is refused with 400.',
		request: get(`caffeine://${POT_HOST}`),
		verdict: expectStatus(400)
	},
	{
		name: 'missing-host',
		requirement: 'Task 1 request check: a target without the scheme://host form (coffee:ducky) is refused with 400.',
		request: get(`coffee:${POT_HOST}`),
		verdict: expectStatus(400)
	},
	{
		name: 'host-psyduck',
		requirement: 'Task 1 request check: a host other than ducky (coffee://psyduck) is refused with 404.',
		request: get('coffee://psyduck'),
		verdict: expectStatus(404)
	},
	{
		name: 'method-milk',
		requirement: 'Task 1 request check: a method HTCPCP does not define (MILK) is refused with 501.',
		request: { method: 'MILK', target: POT_URI, headers: [commandType] },
		verdict: expectStatus(501)
	},
	{
		name: 'type-tea-pot-command',
		requirement: `Task 1 request check: Content-Type ${WRONG_TEA_COMMAND_TYPE} instead of ${COFFEE_COMMAND_TYPE} is refused with 415.`,
		request: get(POT_URI, [{ name: 'Content-Type', value: WRONG_TEA_COMMAND_TYPE }]),
		verdict: expectStatus(415)
	},
	{
		name: 'use-pot-tea',
		requirement: "Task 1 request check: coffee asked of the tea pot (Use-Pot: tea) is refused with 418 I'm a teapot.",
		request: brew('start', [{ name: 'Use-Pot', value: 'tea' }]),
		verdict: expectStatus(418),
		undoIfAccepted: true
	},
	{
		name: 'addition-chamomile',
		requirement: 'Task 1 and 7: an addition the pot does not offer (chamomile) is refused with 406, listing the acceptable additions in the body.',
		request: brew('start', [
			{ name: 'Accept-Additions', value: 'chamomile' },
			{ name: 'Use-Pot', value: POT_HOST }
		]),
		verdict: expectStatus(406, (r) => {
			const body = text(r.body).toLowerCase();
			const listed = offeredNames.filter((name) => body.includes(name));
			return listed.length > 0
				? pass(`406 listing ${listed.slice(0, 4).join(', ')}${listed.length > 4 ? ', ...' : ''}`)
				: fail('406, but the body does not list the acceptable additions (e.g. cream, vanilla, whisky)');
		}),
		undoIfAccepted: true
	},
	{
		name: 'body-not-command',
		requirement: 'A BREW whose body is neither start nor stop (here "pour") is refused with 400.',
		request: brew('pour'),
		verdict: expectStatus(400),
		undoIfAccepted: true
	},
	...COFFEE_SCHEMES.map(
		(scheme): PotCase => ({
			name: `scheme:${scheme.encoded}`,
			requirement: `Every coffee scheme of RFC 2324 section 3 is accepted: ${scheme.encoded}:// (${scheme.decoded}, ${scheme.languages}).`,
			request: get(`${scheme.encoded}://${POT_HOST}`),
			verdict: expectStatus(200)
		})
	),
	{
		name: 'brew-stop-end',
		requirement: 'BREW stop at the end leaves the pot empty, as it was found.',
		request: brew('stop'),
		verdict: expectStatus(200)
	}
];

export const BATTERY: readonly PotCase[] = Object.freeze(cases);

/** The request that puts a pot back to idle after it wrongly accepted a refused request. */
export const RESET_REQUEST: HtcpcpRequest = brew('stop');

/**
 * Cases selected by `--only` values: an exact case name, or a group prefix
 * such as `scheme` for every `scheme:...` case; names matching no case come back in `unknown`.
 */
export function selectCases(only: readonly string[]): { cases: PotCase[]; unknown: string[] } {
	if (only.length === 0) return { cases: [...BATTERY], unknown: [] };
	const unknown = only.filter((n) => !BATTERY.some((c) => c.name === n || c.name.startsWith(`${n}:`)));
	const cases = BATTERY.filter((c) => only.some((n) => c.name === n || c.name.startsWith(`${n}:`)));
	return { cases, unknown };
}
