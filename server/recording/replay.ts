/**
 * A recording as the replay page and the exports use it: the verified
 * records turned into a timeline (terminal bytes per terminal, traffic
 * events, marks), an asciicast v2 file per terminal, and the traffic as
 * pcapng. Only records the verifier placed in the chain are used.
 */

import { writeTrafficCapture } from '../../src/lib/protocol/capture/traffic-writer';
import { toAsciicast, type CastChunk } from '../../src/lib/replay/asciicast';
import { toBase64, toWireEvent, type CheckoffResult, type ReplayData, type ReplayMark } from '../../src/lib/replay/model';
import { trafficEvents } from '../checkoff/evaluate';
import type { LabRecord } from './format';
import { CHECK_MY_POT } from './session';

const DEFAULT_TERMINAL = 'shell';

function terminalOf(r: LabRecord): string {
	return r.type === 'terminal-output' || r.type === 'terminal-input' ? (typeof r.payload.terminal === 'string' && r.payload.terminal !== '' ? r.payload.terminal : DEFAULT_TERMINAL) : DEFAULT_TERMINAL;
}

function markOf(r: LabRecord, t: number): ReplayMark | null {
	switch (r.type) {
		case 'program-start':
			return { t, kind: 'program-start', text: `${r.payload.program} started${r.payload.pid ? ` (pid ${r.payload.pid})` : ''}` };
		case 'program-exit': {
			const how = r.payload.signal ? `killed by ${r.payload.signal}` : `exit status ${r.payload.code ?? '?'}`;
			return { t, kind: 'program-exit', text: `${r.payload.program} stopped (${how})` };
		}
		case 'answer':
			return { t, kind: 'answer', ok: r.payload.correct === true, text: `answered ${r.payload.lesson ? `${r.payload.lesson}/` : ''}${r.payload.question}: ${r.payload.correct === true ? 'right' : r.payload.correct === false ? 'wrong' : 'not graded'}` };
		case 'check':
			return {
				t,
				kind: 'check',
				ok: r.payload.passed === true,
				text: `${r.payload.check === CHECK_MY_POT ? '"check my pot"' : `check ${r.payload.check}`}: ${r.payload.passed ? 'passed' : 'not passed'}${r.payload.detail ? ` (${r.payload.detail})` : ''}`
			};
		case 'note':
			return { t, kind: 'note', text: String(r.payload.text) };
		case 'message-summary':
			return { t, kind: 'message', text: String(r.payload.summary) };
		case 'end':
			return { t, kind: 'end', text: `session ended: ${r.payload.reason}` };
		default:
			return null;
	}
}

/** The whole timeline of a judged recording. */
export function replayData(name: string, records: readonly LabRecord[], result: CheckoffResult): ReplayData {
	const times = records.filter((r) => r.type !== 'traffic').map((r) => r.timeUs);
	const events = trafficEvents(records);
	for (const e of events) times.push(e.timeUs);
	const startUs = times.length ? Math.min(...times) : 0;
	const endUs = times.length ? Math.max(...times) : 0;
	const ms = (us: number) => Math.max(0, Math.round((us - startUs) / 1000));
	const terminals: ReplayData['terminals'] = {};
	const marks: ReplayMark[] = [];
	for (const r of records) {
		if ((r.type === 'terminal-output' || r.type === 'terminal-input') && r.payload.bytes instanceof Uint8Array) {
			const id = terminalOf(r);
			const term = (terminals[id] ??= { output: [], input: [] });
			(r.type === 'terminal-output' ? term.output : term.input).push({ t: ms(r.timeUs), data: toBase64(r.payload.bytes) });
			continue;
		}
		const mark = markOf(r, ms(r.timeUs));
		if (mark) marks.push(mark);
	}
	marks.sort((a, b) => a.t - b.t);
	return { name, startUs, durationMs: ms(endUs), result, terminals, traffic: events.map(toWireEvent), marks };
}

/** The terminals a recording has output for. */
export function terminalsOf(records: readonly LabRecord[]): string[] {
	const ids = new Set<string>();
	for (const r of records) if (r.type === 'terminal-output') ids.add(terminalOf(r));
	return [...ids];
}

/** One terminal's output (and input) as asciicast v2. */
export function terminalCast(records: readonly LabRecord[], terminal: string, options: { width?: number; height?: number; title?: string } = {}): string {
	const output: CastChunk[] = [];
	const input: CastChunk[] = [];
	for (const r of records) {
		if ((r.type !== 'terminal-output' && r.type !== 'terminal-input') || terminalOf(r) !== terminal || !(r.payload.bytes instanceof Uint8Array)) continue;
		(r.type === 'terminal-output' ? output : input).push({ timeUs: r.timeUs, bytes: r.payload.bytes });
	}
	const startUs = records.length ? records[0].timeUs : undefined;
	return toAsciicast(output, { ...options, input, ...(startUs !== undefined ? { startUs } : {}) });
}

/** The recorded traffic as a pcapng file (the same frames the relay's download gives). */
export function trafficPcapng(records: readonly LabRecord[], comments: string[] = []): Uint8Array {
	return writeTrafficCapture(trafficEvents(records), { comments });
}
