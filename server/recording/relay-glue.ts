/**
 * Everything the relay needs to record a session, behind a few calls: open
 * the recording for this run, feed it the relay's events, answer the
 * recording routes, and close it on shutdown. Terminal statuses are turned
 * into program starts and exits here, so the relay passes them on as they are.
 */

import fs from 'node:fs';
import path from 'node:path';
import type { LabState } from '../../src/lib/lab/public';
import type { ConformanceRun } from '../../src/lib/lab/snapshot';
import type { LabAnswer, LabResult, ServerMessage, TerminalStatus } from '../../src/lib/relay-protocol/index';
import { loadCriteria, type Criteria } from '../checkoff/criteria';
import { ROOT_DIR } from '../shared/paths';
import { recordingRoutes, type RecordingRoutes } from './api';
import { RECORDINGS_DIR, SessionRecorder } from './session';

export interface RelayRecording {
	/** Null when recording could not start (the relay runs on without it; `routes` still list old recordings). */
	recorder: SessionRecorder | null;
	routes: RecordingRoutes;
	/** A terminal's status changed: records program starts (a new pid) and exits. */
	onStatus(status: Pick<TerminalStatus, 'id' | 'state' | 'pid' | 'exitCode' | 'signal' | 'command'>): void;
	/** The relay's analysed traffic batch: each parsed HTTP/HTCPCP message becomes a `message-summary` record. */
	onMessages(messages: readonly ServerMessage[]): void;
	/** A page's answer and the relay's grade; graded answers (right or wrong) become `answer` records. */
	onAnswer(message: Pick<LabAnswer, 'page' | 'question' | 'value'>, result: Pick<LabResult, 'status'>): void;
	/** The lab's state: each check that passes during this session becomes a `check` record, once. */
	onLabState(state: LabState): void;
	/** A "check my pot" run (the lab's conformance run) becomes a `check-my-pot-run` record. */
	onConformance(run: ConformanceRun): void;
	close(reason?: string): void;
}

export function tutorVersion(): string {
	try {
		const pkg = JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')) as { version?: unknown };
		return typeof pkg.version === 'string' ? pkg.version : 'unknown';
	} catch {
		return 'unknown';
	}
}

export function startRelayRecording(options: {
	/** The lab's state at start: checks passed in earlier sessions are not recorded as passed in this one. */
	labState?: LabState;
	dataDir: string;
	/** The taps' ports: what the student's browser and programs use. */
	ports: { pot: number; webapp: number };
	host?: string;
	student?: string;
	contentDir?: string;
	log: (line: string) => void;
}): RelayRecording {
	let recorder: SessionRecorder | null = null;
	try {
		recorder = SessionRecorder.open({
			dataDir: options.dataDir,
			tutorVersion: tutorVersion(),
			ports: options.ports,
			log: options.log,
			...(options.student ? { student: options.student } : {}),
			...(options.host ? { host: options.host } : {})
		});
	} catch (error) {
		options.log(`relay: not recording this session: ${(error as Error).message}`);
	}
	let criteria: Criteria | null = null;
	const routes = recordingRoutes({
		dir: path.join(options.dataDir, RECORDINGS_DIR),
		recorder,
		criteria: () => (criteria ??= loadCriteria(options.contentDir))
	});
	const running = new Map<string, number | undefined>();
	const passed = new Set<string>();
	for (const [page, p] of Object.entries(options.labState ?? {})) for (const [id, c] of Object.entries(p.checks)) if (c.pass) passed.add(`${page}/${id}`);
	return {
		recorder,
		routes,
		onStatus(status) {
			if (!recorder) return;
			const pid = status.pid;
			if (status.state === 'running') {
				if (running.has(status.id) && running.get(status.id) === pid) return;
				running.set(status.id, pid);
				recorder.onProgramStart(status.id, { args: status.command ? [status.command] : [], ...(pid !== undefined ? { pid } : {}) });
			} else if ((status.state === 'exited' || status.state === 'failed') && running.has(status.id)) {
				running.delete(status.id);
				recorder.onProgramExit(status.id, { code: status.exitCode ?? null, signal: status.signal ?? null, ...(pid !== undefined ? { pid } : {}) });
			}
		},
		onMessages(messages) {
			if (!recorder) return;
			for (const m of messages) {
				if (m.type !== 'message' || !m.http) continue;
				recorder.onMessageSummary({ conn: m.conn, ...(m.label ? { hop: m.label } : {}), kind: m.http.kind, summary: m.summary, frames: m.frames });
			}
		},
		onAnswer(message, result) {
			if (result.status !== 'correct' && result.status !== 'wrong') return;
			recorder?.onAnswer({
				lesson: message.page,
				question: message.question,
				answer: typeof message.value === 'string' ? message.value : JSON.stringify(message.value),
				correct: result.status === 'correct'
			});
		},
		onLabState(state) {
			for (const [page, p] of Object.entries(state)) {
				for (const [id, c] of Object.entries(p.checks)) {
					if (!c.pass || passed.has(`${page}/${id}`)) continue;
					passed.add(`${page}/${id}`);
					recorder?.onCheck({ lesson: page, check: id, passed: true, detail: c.detail });
				}
			}
		},
		onConformance(run) {
			recorder?.onConformance({ unreachable: run.unreachable, passed: run.passed, failed: run.failed, results: run.cases.map((c) => ({ name: c.name, pass: c.pass })) });
		},
		close(reason = 'the relay stopped') {
			recorder?.close(reason);
		}
	};
}
