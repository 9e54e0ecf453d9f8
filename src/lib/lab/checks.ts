/**
 * Step checks: each kind has a parameter schema and a pure evaluation over a
 * snapshot, `(declaration, snapshot) -> { pass, detail }`. The relay runs them
 * live; a checkoff verifier can run the same declarations (the pages'
 * `checkoff: true` checks) over a snapshot rebuilt from a recording.
 */

import * as v from 'valibot';
import { TERMINAL_IDS } from '../relay-protocol/index';
import { matches } from './queries';
import { HOPS, issuesToProblems, type CheckDeclaration, type CheckName, type Hop, type Problem } from './schema';
import type { LabMessage, LabSnapshot } from './snapshot';

export interface CheckResult {
	pass: boolean;
	/** One line for the student: what was seen, or what is still missing. */
	detail: string;
}

export interface CheckContext {
	/** The page the check belongs to (for questions-answered). */
	page?: string;
}

const hop = v.picklist(HOPS, `must be one of ${HOPS.join(', ')}`);
const status = v.pipe(v.number('must be a status code (100-599)'), v.integer('must be a status code (100-599)'), v.minValue(100, 'must be a status code (100-599)'), v.maxValue(599, 'must be a status code (100-599)'));
const regex = v.pipe(
	v.string(),
	v.check((s) => {
		try {
			new RegExp(s);
			return true;
		} catch {
			return false;
		}
	}, 'must be a valid regular expression')
);

const NONE = v.strictObject({});

/** Each check's parameters (`with:`). */
export const CHECK_PARAMS: Record<CheckName, v.GenericSchema<unknown, Record<string, unknown>>> = {
	'request-seen': v.strictObject({ hop, method: v.optional(v.string()), target: v.optional(v.string()) }),
	'status-seen': v.strictObject({ hop, status }),
	'pot-status': v.strictObject({ status }),
	'webapp-page': v.strictObject({ status, acceptableAdditions: v.optional(v.boolean('must be true or false')) }),
	'persistent-connection': NONE,
	'handshake-seen': v.strictObject({ hop }),
	'conditional-get': NONE,
	'redirect-seen': NONE,
	'tls-seen': NONE,
	'plain-htcpcp-under-tls': NONE,
	'program-restarted': v.strictObject({ program: v.picklist(['pot', 'webapp'] as const, 'must be pot or webapp') }),
	'terminal-output': v.strictObject({ terminal: v.picklist(TERMINAL_IDS, `must be one of ${TERMINAL_IDS.join(', ')}`), pattern: regex }),
	'pot-conformance': v.strictObject({ cases: v.optional(v.array(v.string())) }),
	'questions-answered': NONE
};

/** Problems in a check's `with:`; paths are relative to the check. */
export function checkProblems(decl: CheckDeclaration): Problem[] {
	const schema = CHECK_PARAMS[decl.check];
	const r = v.safeParse(schema, decl.with ?? {});
	if (r.success) return [];
	return issuesToProblems(r.issues).map((p) => ({ path: ['with', ...p.path], message: `${decl.check}: ${p.message}` }));
}

/**
 * The additions a pot's 406 says it accepts: its `Acceptable additions:` body
 * line, or else its `Accept-Additions` header (RFC 2324 section 2.2.2.1 lists).
 */
function acceptableAdditions(m: LabMessage): string[] {
	const line = /^\s*acceptable additions\s*:\s*(.+)$/im.exec(m.http?.body ?? '')?.[1];
	const header = m.http?.headers.find((h) => h.name.toLowerCase() === 'accept-additions')?.value;
	return (line ?? header ?? '')
		.split(/[;,]/)
		.map((a) => a.trim())
		.filter((a) => a.length > 0);
}

const responses = (s: LabSnapshot, h: Hop) => s.messages.filter((m) => m.hop === h && m.http?.kind === 'response');
const frameOf = (m: LabMessage) => m.frames.at(-1) ?? 0;
const ok = (detail: string): CheckResult => ({ pass: true, detail });
const notYet = (detail: string): CheckResult => ({ pass: false, detail });

function statusSeen(s: LabSnapshot, h: Hop, code: number): CheckResult {
	const m = responses(s, h).find((r) => r.http?.status === code);
	return m ? ok(`${code} seen on ${h} (frame ${frameOf(m)})`) : notYet(`no ${code} response on ${h} yet`);
}

type Params = Record<string, unknown>;
const EVALUATORS: Record<CheckName, (p: Params, s: LabSnapshot, ctx: CheckContext) => CheckResult> = {
	'request-seen': (p, s) => {
		const h = p.hop as Hop;
		const target = p.target as string | undefined;
		const m = s.messages.find((x) => x.http?.kind === 'request' && matches(x, { hop: h, method: p.method as string | undefined, target }));
		const what = `${(p.method as string) ?? ''} ${target ?? ''}`.trim() || 'a request';
		return m ? ok(`${what} seen on ${h} (frame ${frameOf(m)})`) : notYet(`no ${what} on ${h} yet`);
	},
	'status-seen': (p, s) => statusSeen(s, p.hop as Hop, p.status as number),
	'pot-status': (p, s) => statusSeen(s, 'webapp-pot', p.status as number),
	'webapp-page': (p, s) => {
		const code = p.status as number;
		const pot = responses(s, 'webapp-pot').find((r) => r.http?.status === code);
		if (!pot) return notYet(`the pot has not answered ${code} yet`);
		const pages = responses(s, 'browser-webapp').filter((r) => r.http?.status === code && r.timeUs >= pot.timeUs);
		if (pages.length === 0) return notYet(`the pot answered ${code}, but the web app has not shown a ${code} page since`);
		if (p.acceptableAdditions === true) {
			// The page must list every addition the pot said it accepts (from the pot's own 406, not a fixed list).
			const listed = acceptableAdditions(pot);
			if (listed.length === 0) return notYet(`the pot's ${code} (frame ${frameOf(pot)}) lists no acceptable additions`);
			const page = pages.find((r) => listed.every((a) => (r.http?.body ?? '').includes(a)));
			if (!page) {
				const missing = listed.filter((a) => !(pages.at(-1)?.http?.body ?? '').includes(a));
				return notYet(`the web app's ${code} page does not list every acceptable addition the pot sent (missing: ${missing.slice(0, 3).join(', ')})`);
			}
			return ok(`the pot answered ${code} and the web app's page (frame ${frameOf(page)}) lists the ${listed.length} additions the pot accepts`);
		}
		const page = pages[0];
		return ok(`the pot answered ${code} and the web app showed its ${code} page (frame ${frameOf(page)})`);
	},
	'persistent-connection': (_p, s) => {
		const perConn = new Map<number, number>();
		for (const m of s.messages) {
			if (m.hop !== 'browser-webapp' || m.http?.kind !== 'request' || m.http.version !== 'HTTP/1.1') continue;
			const n = (perConn.get(m.conn) ?? 0) + 1;
			perConn.set(m.conn, n);
			if (n >= 2) {
				const c = s.connections.find((x) => x.conn === m.conn);
				return ok(`one connection${c ? ` from port ${c.client.port}` : ''} carried ${n} HTTP/1.1 requests`);
			}
		}
		return notYet('no browser connection has carried two HTTP/1.1 requests yet');
	},
	'handshake-seen': (p, s) => {
		const c = s.connections.find((x) => x.hop === p.hop);
		return c ? ok(`a connection was opened on ${String(p.hop)} (port ${c.client.port} → ${c.server.port})`) : notYet(`no connection on ${String(p.hop)} yet`);
	},
	'conditional-get': (_p, s) => statusSeen(s, 'browser-webapp', 304),
	'redirect-seen': (_p, s) => {
		const m = responses(s, 'browser-webapp').find((r) => r.http?.status === 302);
		if (!m) return notYet('no 302 redirect from the web app yet');
		const req = s.messages.find((r) => r.conn === m.conn && r.id === m.answers && r.http?.kind === 'request');
		return ok(`302 after ${req?.http ? `${req.http.method} ${req.http.target}` : 'an action'} (frame ${frameOf(m)})`);
	},
	'tls-seen': (_p, s) => {
		const m = s.messages.find((x) => x.hop === 'browser-webapp' && x.tls);
		return m ? ok(`TLS records between the browser and the web app (frame ${frameOf(m)})`) : notYet('no TLS between the browser and the web app yet');
	},
	'plain-htcpcp-under-tls': (_p, s) => {
		const t = s.messages.find((x) => x.hop === 'browser-webapp' && x.tls);
		if (!t) return notYet('no TLS between the browser and the web app yet');
		const h = s.messages.find((x) => x.hop === 'webapp-pot' && x.http?.protocol === 'HTCPCP' && x.timeUs >= t.timeUs);
		if (!h) {
			// The pot is reached by HTTP-versioned requests too; any readable request on the hop counts.
			const any = s.messages.find((x) => x.hop === 'webapp-pot' && x.http && x.timeUs >= t.timeUs);
			if (!any) return notYet('TLS seen; no readable request to the pot since');
			return ok(`TLS to the web app, readable ${any.http!.method ?? any.http!.status} on the pot hop (frame ${frameOf(any)})`);
		}
		return ok(`TLS to the web app, plain HTCPCP to the pot (frame ${frameOf(h)})`);
	},
	'program-restarted': (p, s) => {
		const runs = s.processes.filter((e) => e.program === p.program && e.state === 'running' && e.pid !== undefined);
		const pids = new Set(runs.map((e) => e.pid));
		return pids.size >= 2 ? ok(`the ${String(p.program)} was started again (pid ${runs.at(-1)!.pid})`) : notYet(`the ${String(p.program)} has not been restarted yet`);
	},
	'terminal-output': (p, s) => {
		const text = s.terminals[p.terminal as keyof LabSnapshot['terminals']] ?? '';
		const m = new RegExp(p.pattern as string, 'm').exec(text);
		return m ? ok(`the ${String(p.terminal)} terminal printed "${m[0].slice(0, 80)}"`) : notYet(`the ${String(p.terminal)} terminal has not printed that yet`);
	},
	'pot-conformance': (p, s) => {
		const run = s.conformance.at(-1);
		if (!run) return notYet('"check my pot" has not been run yet');
		if (run.unreachable) return notYet('the last "check my pot" run could not reach the pot');
		const wanted = p.cases as string[] | undefined;
		const cases = wanted ? run.cases.filter((c) => wanted.some((w) => c.name === w || c.name.startsWith(`${w}:`) || c.name.startsWith(`${w}-`))) : run.cases;
		if (cases.length === 0) return notYet('the last "check my pot" run had none of the cases this check needs');
		const failed = cases.filter((c) => !c.pass);
		return failed.length === 0 ? ok(`"check my pot": ${cases.length} case(s) passed`) : notYet(`"check my pot": ${failed.length} case(s) failed (${failed.slice(0, 3).map((c) => c.name).join(', ')})`);
	},
	'questions-answered': (_p, s, ctx) => {
		const q = ctx.page ? s.questions[ctx.page] : undefined;
		if (!q) return notYet('no questions to answer yet');
		return q.correct >= q.total ? ok(`all ${q.total} question(s) answered`) : notYet(`${q.correct} of ${q.total} question(s) answered correctly`);
	}
};

/** Evaluates one declared check over a snapshot. A declaration with bad parameters never passes. */
export function evaluateCheck(decl: CheckDeclaration, snapshot: LabSnapshot, ctx: CheckContext = {}): CheckResult {
	const problems = checkProblems(decl);
	if (problems.length > 0) return notYet(`this check is declared wrongly: ${problems[0].message}`);
	return EVALUATORS[decl.check](decl.with ?? {}, snapshot, ctx);
}

/** The checks of some pages marked `checkoff: true`, as the checkoff verifier reads them. */
export function checkoffChecks(pages: readonly { slug: string; checks: readonly CheckDeclaration[] }[]): { page: string; check: CheckDeclaration }[] {
	return pages.flatMap((p) => p.checks.filter((c) => c.checkoff).map((check) => ({ page: p.slug, check })));
}
