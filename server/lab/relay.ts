/**
 * The lab's side of the relay: its `/api/lab/...` routes (the caller checks
 * the token first), the reply to a page's `lab-answer`, and program states
 * turned into process events. The relay only forwards to these.
 */

import type http from 'node:http';
import { BATTERY } from '../check-pot/battery';
import { runBattery } from '../check-pot/run';
import type { PotAddress } from '../client/exchange';
import type { AnswerValue } from '../../src/lib/lab/questions';
import type { ProcessEvent } from '../../src/lib/lab/snapshot';
import { RELAY_PROTOCOL_VERSION, type LabAnswer, type LabResult, type LabStateMessage, type TerminalStatus } from '../../src/lib/relay-protocol/index';
import { exportCsv, exportJson } from './export';
import type { LabService } from './service';

export function labStateMessage(lab: LabService): LabStateMessage {
	return { v: RELAY_PROTOCOL_VERSION, type: 'lab-state', pages: lab.state() };
}

/** Grades a page's answer; the reply goes to that page only. */
export function answerMessage(lab: LabService, message: LabAnswer): LabResult {
	const r = lab.answer(message.page, message.question, message.value as AnswerValue);
	return {
		v: RELAY_PROTOCOL_VERSION,
		type: 'lab-result',
		ref: message.ref,
		page: message.page,
		question: message.question,
		status: r.status,
		message: r.message,
		...(r.explanation ? { explanation: r.explanation } : {}),
		attempts: r.attempts,
		correct: r.correct
	};
}

export function processEvent(status: TerminalStatus): ProcessEvent {
	return { program: status.id, state: status.state, ...(status.pid !== undefined ? { pid: status.pid } : {}), timeUs: Date.now() * 1000 };
}

function send(res: http.ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
	res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...extra });
	res.end(body);
}

const json = (res: http.ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}) =>
	send(res, status, 'application/json; charset=utf-8', JSON.stringify(value), extra);

export interface LabRoutes {
	/** Answers the request if it is a lab route; false otherwise. */
	handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): boolean;
}

/**
 * `pot` is where "check my pot" sends its battery: the pot's own port, not
 * its tap, so the run's deliberately bad requests neither show in the
 * student's traffic nor tick the request checks the student must trigger.
 */
export function labRoutes(lab: LabService, pot: () => PotAddress): LabRoutes {
	let running: Promise<unknown> | null = null;
	return {
		handle(req, res, url) {
			if (!url.pathname.startsWith('/api/lab/')) return false;
			const route = url.pathname.slice('/api/lab/'.length);
			const want = route === 'check-pot' ? 'POST' : 'GET';
			if (req.method !== want && !(want === 'GET' && req.method === 'HEAD')) {
				json(res, 405, { error: 'method-not-allowed', message: `use ${want} for /api/lab/${route}` }, { Allow: want });
				return true;
			}
			switch (route) {
				case 'state':
					lab.flush();
					json(res, 200, lab.state());
					return true;
				case 'export.json':
					json(res, 200, exportJson(lab), { 'Content-Disposition': 'attachment; filename="htcpcp-lab-answers.json"' });
					return true;
				case 'export.csv':
					send(res, 200, 'text/csv; charset=utf-8', exportCsv(lab), { 'Content-Disposition': 'attachment; filename="htcpcp-lab-answers.csv"' });
					return true;
				case 'check-pot': {
					if (running) {
						json(res, 409, { error: 'busy', message: 'a "check my pot" run is already going; wait for it to finish' });
						return true;
					}
					req.resume();
					running = runBattery(pot(), BATTERY, { timeoutMs: 3000 })
						.then((report) => {
							lab.onConformance({
								timeUs: Date.now() * 1000,
								unreachable: report.unreachable,
								passed: report.passed,
								failed: report.failed,
								cases: report.results.map((r) => ({ name: r.name, pass: r.pass }))
							});
							json(res, 200, {
								unreachable: report.unreachable,
								passed: report.passed,
								failed: report.failed,
								results: report.results.map((r) => ({ name: r.name, pass: r.pass, reason: r.reason }))
							});
						})
						.catch((error: Error) => json(res, 500, { error: 'check-failed', message: `the check could not run: ${error.message}` }))
						.finally(() => (running = null));
					return true;
				}
				default:
					json(res, 404, { error: 'not-found', message: `no lab route /api/lab/${route}` });
					return true;
			}
		}
	};
}
