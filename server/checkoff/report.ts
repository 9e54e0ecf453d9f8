/**
 * The checkoff's output: a table per recording for the TA on the terminal,
 * and a CSV an LMS gradebook imports (RFC 4180: CRLF line ends, fields with
 * commas, quotes or line breaks quoted, quotes doubled).
 */

import { formatDuration, type CheckoffResult } from '../../src/lib/replay/model';
import type { Criteria } from './criteria';

const VERDICT_WORDS: Record<CheckoffResult['verdict'], string> = {
	pass: 'PASS',
	fail: 'FAIL',
	rejected: 'REJECTED',
	unreadable: 'UNREADABLE'
};

/** One block of lines for one recording. */
export function formatResult(r: CheckoffResult): string {
	const lines: string[] = [];
	lines.push(`${r.file}`);
	lines.push(`  student   ${r.student || '(no name given)'}${r.sessionId ? `   session ${r.sessionId}` : ''}${r.startedAt ? `   started ${r.startedAt}` : ''}`);
	if (r.verdict !== 'unreadable') {
		const chain = r.problems.length === 0 ? `intact, ${r.records} records, signed by ${(r.keyFingerprint ?? '').slice(0, 16)}` : `verified through record ${r.verifiedThrough}, signed through ${r.signedThrough}`;
		lines.push(`  chain     ${chain}`);
		for (const p of r.problems.slice(0, 5)) lines.push(`            ${p}`);
		if (r.problems.length > 5) lines.push(`            (${r.problems.length - 5} more problems)`);
		const width = Math.max(0, ...r.criteria.map((c) => c.id.length));
		for (const c of r.criteria) lines.push(`  ${c.pass ? 'pass' : 'FAIL'}      ${c.id.padEnd(width)}  ${c.detail}`);
		lines.push(`  quiz      ${r.score.points} of ${r.score.total} points (${r.score.correct} of ${r.score.questions} questions right, as graded by the relay)`);
		lines.push(`  time      ${formatDuration(r.durationMs)}`);
	}
	lines.push(`  verdict   ${VERDICT_WORDS[r.verdict]}: ${r.reason}`);
	return lines.join('\n');
}

export function formatSummary(results: readonly CheckoffResult[]): string {
	const count = (v: CheckoffResult['verdict']) => results.filter((r) => r.verdict === v).length;
	return `${results.length} recording(s): ${count('pass')} pass, ${count('fail')} fail, ${count('rejected')} rejected, ${count('unreadable')} unreadable`;
}

function csvField(value: string | number): string {
	const text = String(value);
	// A leading =, +, - or @ would be read as a formula by spreadsheet programs.
	const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
	return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(results: readonly CheckoffResult[], criteria: Criteria): string {
	const columns = criteria.checks.map((c) => c.column);
	const header = ['student', 'file', 'session', 'started_at', ...columns, 'score', 'max_score', 'minutes', 'verdict', 'reason'];
	const rows = [header];
	for (const r of results) {
		const byId = new Map(r.criteria.map((c) => [c.id, c.pass]));
		rows.push([
			r.student,
			r.file,
			r.sessionId ?? '',
			r.startedAt ?? '',
			...columns.map((c) => (byId.has(c) ? (byId.get(c) ? 'pass' : 'fail') : '')),
			String(r.score.points),
			String(r.score.total),
			(r.durationMs / 60000).toFixed(1),
			r.verdict,
			r.reason
		]);
	}
	return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
