/**
 * One recording's checkoff: verify it (chain, signatures, pinned keys), then
 * judge the content's checkoff criteria from what the recording itself holds.
 * The traffic records are replayed through the shared `TrafficAnalyzer` and
 * turned into a lab snapshot (`snapshotFromAnalysis`), so a 406 counts only
 * if the pot's 406 response and the web app's 406 page are in the recorded
 * bytes; nothing a page or a client said about itself is taken on trust.
 * Quiz answers are the exception: their `correct` flag is what the relay
 * graded at the time, inside the signed chain (docs/checkoff.md).
 *
 * Only records up to `verifiedThrough` count: after the first bad record
 * nothing can be believed.
 */

import fs from 'node:fs';
import { evaluateCheck } from '../../src/lib/lab/checks';
import { SnapshotBuilder, snapshotFromAnalysis, type LabSnapshot } from '../../src/lib/lab/snapshot';
import { TERMINAL_IDS, type TerminalId } from '../../src/lib/relay-protocol/index';
import { TrafficAnalyzer } from '../../src/lib/protocol/analysis/live';
import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';
import { POT_PORT, WEBAPP_PORT } from '../../src/lib/protocol/index';
import type { CheckoffResult, CriterionResult } from '../../src/lib/replay/model';
import type { LabRecord, MetaPayload } from '../recording/format';
import { CHECK_MY_POT } from '../recording/session';
import { verifyRecording, type VerifyResult } from '../recording/verify';
import type { Criteria } from './criteria';

export interface CheckOptions {
	/** Pinned key fingerprints (`--keys`); any other signing key is rejected. */
	trustedKeys?: ReadonlySet<string>;
}

const isTerminal = (id: unknown): id is TerminalId => typeof id === 'string' && (TERMINAL_IDS as readonly string[]).includes(id);

/** The traffic events of some records, in the order they happened. */
export function trafficEvents(records: readonly LabRecord[]): TrafficEvent[] {
	const events: TrafficEvent[] = [];
	for (const r of records) if (r.type === 'traffic' && Array.isArray(r.payload.events)) for (const e of r.payload.events) events.push(e);
	// Batches are written in order, so this is normally sorted already; a stable sort keeps each connection's order.
	let sorted = true;
	for (let i = 1; i < events.length && sorted; i++) if (events[i].timeUs < events[i - 1].timeUs) sorted = false;
	if (!sorted) events.sort((a, b) => a.timeUs - b.timeUs);
	return events;
}

/** The name the student gave: the meta record's, or the last one set during the session. */
export function studentOf(meta: MetaPayload | null, records: readonly LabRecord[]): string {
	let name = typeof meta?.student === 'string' ? meta.student : '';
	for (const r of records) if (r.type === 'note' && typeof r.payload.student === 'string') name = r.payload.student;
	return name;
}

function portsOf(meta: MetaPayload | null): { pot: number; webapp: number } {
	const p = meta?.ports as { pot?: unknown; webapp?: unknown } | undefined;
	return {
		pot: typeof p?.pot === 'number' ? p.pot : POT_PORT,
		webapp: typeof p?.webapp === 'number' ? p.webapp : WEBAPP_PORT
	};
}

/** The lab snapshot a recording's records describe, built the way the relay builds it live. */
export function snapshotOfRecords(records: readonly LabRecord[], meta: MetaPayload | null, criteria: Criteria): LabSnapshot {
	const analyzer = new TrafficAnalyzer({ maxFrames: Infinity });
	const labels: (string | undefined)[] = [];
	for (const e of trafficEvents(records)) {
		// Stream n is the n-th connection opened, as the engine numbers them.
		if (e.type === 'open') labels.push(e.label);
		analyzer.push(e);
	}
	analyzer.finish();
	const analysis = analyzer.snapshot();
	analysis.connections.forEach((c, i) => {
		if (c && c.label === undefined && labels[c.stream ?? i] !== undefined) c.label = labels[c.stream ?? i];
	});
	const snapshot = snapshotFromAnalysis(analysis, portsOf(meta));

	const extra = new SnapshotBuilder();
	const decoder = new Map<string, TextDecoder>();
	const answered = new Map<string, Set<string>>();
	for (const r of records) {
		switch (r.type) {
			case 'program-start':
				if (isTerminal(r.payload.program)) extra.process({ program: r.payload.program, state: 'running', ...(typeof r.payload.pid === 'number' ? { pid: r.payload.pid } : {}), timeUs: r.timeUs });
				break;
			case 'program-exit':
				if (isTerminal(r.payload.program)) extra.process({ program: r.payload.program, state: 'exited', ...(typeof r.payload.pid === 'number' ? { pid: r.payload.pid } : {}), timeUs: r.timeUs });
				break;
			case 'terminal-output': {
				const id = r.payload.terminal;
				if (!isTerminal(id) || !(r.payload.bytes instanceof Uint8Array)) break;
				let d = decoder.get(id);
				if (!d) decoder.set(id, (d = new TextDecoder()));
				extra.terminal(id, d.decode(r.payload.bytes, { stream: true }));
				break;
			}
			case 'check':
				if (r.payload.check === CHECK_MY_POT && Array.isArray(r.payload.cases)) {
					const cases = (r.payload.cases as { name?: unknown; pass?: unknown }[])
						.filter((c) => typeof c?.name === 'string')
						.map((c) => ({ name: String(c.name), pass: c.pass === true }));
					extra.conformance({
						timeUs: r.timeUs,
						unreachable: r.payload.unreachable === true,
						passed: cases.filter((c) => c.pass).length,
						failed: cases.filter((c) => !c.pass).length,
						cases
					});
				}
				break;
			case 'answer':
				if (r.payload.correct === true && typeof r.payload.lesson === 'string') {
					let s = answered.get(r.payload.lesson);
					if (!s) answered.set(r.payload.lesson, (s = new Set()));
					s.add(String(r.payload.question));
				}
				break;
		}
	}
	for (const page of criteria.pages) {
		const known = criteria.points.get(page.slug);
		const right = [...(answered.get(page.slug) ?? [])].filter((q) => known?.has(q)).length;
		if (page.questions.length > 0) extra.questions(page.slug, page.questions.length, right);
	}
	snapshot.processes = extra.snapshot.processes;
	snapshot.terminals = extra.snapshot.terminals;
	snapshot.conformance = extra.snapshot.conformance;
	snapshot.questions = extra.snapshot.questions;
	return snapshot;
}

/** Quiz points from the answer records: each question counts once, with its points from the content. */
export function scoreOf(records: readonly LabRecord[], criteria: Criteria): CheckoffResult['score'] {
	const right = new Set<string>();
	let points = 0;
	for (const r of records) {
		if (r.type !== 'answer' || r.payload.correct !== true) continue;
		const page = String(r.payload.lesson ?? '');
		const q = String(r.payload.question);
		const worth = criteria.points.get(page)?.get(q);
		const key = `${page}\u0000${q}`;
		if (worth === undefined || right.has(key)) continue;
		right.add(key);
		points += worth;
	}
	return { points, total: criteria.totalPoints, correct: right.size, questions: criteria.questionCount };
}

function emptyResult(file: string): CheckoffResult {
	return {
		file,
		student: '',
		verdict: 'unreadable',
		reason: '',
		criteria: [],
		score: { points: 0, total: 0, correct: 0, questions: 0 },
		durationMs: 0,
		problems: [],
		verifiedThrough: -1,
		signedThrough: -1,
		complete: false,
		records: 0,
		keyFingerprint: null,
		tutorVersion: null,
		startedAt: null,
		sessionId: null
	};
}

/** Judges an already verified recording. */
export function judge(file: string, verify: VerifyResult, criteria: Criteria): { result: CheckoffResult; records: LabRecord[] } {
	const out = emptyResult(file);
	const records = verify.records.filter((r) => r.seq <= verify.verifiedThrough);
	const meta = verify.meta;
	out.problems = verify.problems.map((p) => `record ${p.seq}: ${p.message}`);
	out.verifiedThrough = verify.verifiedThrough;
	out.signedThrough = verify.signedThrough;
	out.complete = verify.complete;
	out.records = verify.records.length;
	out.keyFingerprint = verify.keyFingerprint;
	out.tutorVersion = typeof meta?.tutorVersion === 'string' ? meta.tutorVersion : null;
	out.startedAt = typeof meta?.startedAt === 'string' ? meta.startedAt : null;
	out.sessionId = typeof meta?.sessionId === 'string' ? meta.sessionId : null;
	out.student = studentOf(meta, records);
	out.score.total = criteria.totalPoints;
	out.score.questions = criteria.questionCount;

	if (!meta) {
		out.verdict = 'unreadable';
		out.reason = verify.problems[0] ? `not a readable recording: record ${verify.problems[0].seq}: ${verify.problems[0].message}` : 'not a readable recording';
		return { result: out, records };
	}
	const snapshot = snapshotOfRecords(records, meta, criteria);
	out.criteria = criteria.checks.map((c): CriterionResult => {
		const r = evaluateCheck(c.check, snapshot, { page: c.page });
		return { id: c.column, page: c.page, label: c.check.label, pass: r.pass, detail: r.detail };
	});
	out.score = scoreOf(records, criteria);
	if (records.length > 0) {
		let first = Infinity;
		let last = -Infinity;
		for (const r of records) {
			first = Math.min(first, r.timeUs);
			last = Math.max(last, r.timeUs);
		}
		out.durationMs = Math.round((last - first) / 1000);
	}

	const missing = out.criteria.filter((c) => !c.pass);
	if (verify.problems.length > 0) {
		const p = verify.problems[0];
		out.verdict = 'rejected';
		const kept = verify.verifiedThrough >= 0 ? `; records 0-${verify.verifiedThrough} verify${verify.signedThrough >= 0 ? ` (signed through ${verify.signedThrough})` : ''}` : '';
		out.reason = `${p.kind === 'truncated' ? 'cut short' : p.kind === 'untrusted-key' ? 'signed by a key that is not pinned' : 'tampered'} at record ${p.seq}: ${p.message}${kept}`;
	} else if (missing.length > 0) {
		out.verdict = 'fail';
		out.reason = `missing: ${missing.map((c) => c.id).join(', ')}`;
	} else {
		out.verdict = 'pass';
		out.reason = 'all criteria met';
	}
	return { result: out, records };
}

/** Reads, verifies and judges one file; never throws for a bad file. */
export function checkFile(file: string, criteria: Criteria, options: CheckOptions = {}): { result: CheckoffResult; verify: VerifyResult | null; records: LabRecord[] } {
	let bytes: Uint8Array;
	try {
		bytes = new Uint8Array(fs.readFileSync(file));
	} catch (error) {
		const out = emptyResult(file);
		out.reason = `cannot read the file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
		return { result: out, verify: null, records: [] };
	}
	return checkBytes(file, bytes, criteria, options);
}

export function checkBytes(file: string, bytes: Uint8Array, criteria: Criteria, options: CheckOptions = {}): { result: CheckoffResult; verify: VerifyResult | null; records: LabRecord[] } {
	let verify: VerifyResult;
	try {
		verify = verifyRecording(bytes, options.trustedKeys ? { trustedKeys: options.trustedKeys } : {});
	} catch (error) {
		const out = emptyResult(file);
		out.reason = `not a readable recording: ${(error as Error).message}`;
		return { result: out, verify: null, records: [] };
	}
	const { result, records } = judge(file, verify, criteria);
	return { result, verify, records };
}
