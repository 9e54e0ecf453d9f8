/**
 * Runs the battery against a pot: one fresh TCP connection per case (as the
 * lab's web app connects), a timeout per case, and a verdict with a reason for
 * every case, even when the pot answers garbage, nothing or crashes. Returns a
 * structured report the CLI prints and the relay records for checkoff.
 */

import { ExchangeError, buildRequestBytes, exchange, type ExchangeErrorKind, type PotAddress } from '../client/exchange';
import { latin1, startLine, text, type Header } from '../../src/lib/protocol/index';
import type { CheckPayload } from '../recording/format';
import { RESET_REQUEST, type PotCase } from './battery';

export interface CaseResult {
	name: string;
	requirement: string;
	request: {
		/** e.g. `GET coffee://ducky HTTP/1.1`. */
		startLine: string;
		/** The request as sent, bytes shown as Latin-1 text. */
		text: string;
	};
	/** The parsed response, when the pot sent one. */
	response?: {
		statusLine: string;
		status: number;
		headers: Header[];
		body: string;
		/** The response as received, bytes shown as Latin-1 text. */
		text: string;
	};
	/** Why no response could be read. */
	error?: { kind: ExchangeErrorKind; message: string };
	pass: boolean;
	reason: string;
	/** Set when the pot accepted a request it should have refused and was sent BREW stop afterwards. */
	reset?: string;
}

export interface PotReport {
	/** HOST:PORT checked. */
	target: string;
	startedAt: string;
	/** Nothing answered at the address on the first case; no case ran. */
	unreachable: boolean;
	results: CaseResult[];
	passed: number;
	failed: number;
}

export interface RunOptions {
	/** Per-case limit for a complete response, default 3000 ms. */
	timeoutMs?: number;
	/** Called after each case, for printing as the run goes. */
	onResult?: (result: CaseResult) => void;
}

/** Explanations for a pot that did not answer with an HTCPCP response. */
function explain(error: ExchangeError, timeoutMs: number): string {
	switch (error.kind) {
		case 'protocol':
			return `${error.message}. A pot must answer with a status line (e.g. HTCPCP/1.1 200 OK), header lines and an empty line before the body`;
		case 'closed':
			return `${error.message}. The pot should answer every request, errors included, before closing`;
		case 'timeout':
			return `no complete response within ${timeoutMs} ms. Does the pot send Content-Length (or close the connection) after the body?`;
		case 'unreachable':
			return `${error.message}. Did the pot stop running during an earlier case?`;
	}
}

export function hostPort(to: PotAddress): string {
	return to.host.includes(':') ? `[${to.host}]:${to.port}` : `${to.host}:${to.port}`;
}

async function runCase(to: PotAddress, c: PotCase, timeoutMs: number): Promise<CaseResult> {
	const requestBytes = buildRequestBytes(c.request);
	const base = {
		name: c.name,
		requirement: c.requirement,
		request: { startLine: `${c.request.method} ${c.request.target} ${c.request.version ?? 'HTTP/1.1'}`, text: latin1(requestBytes) }
	};
	let result: CaseResult;
	try {
		const { response, responseBytes } = await exchange(to, c.request, { timeoutMs });
		let verdict;
		try {
			verdict = c.verdict(response);
		} catch (e) {
			verdict = { pass: false, reason: `the response could not be judged: ${(e as Error).message}` };
		}
		result = {
			...base,
			response: {
				statusLine: startLine(response),
				status: response.status ?? 0,
				headers: response.headers,
				body: text(response.body),
				text: latin1(responseBytes)
			},
			pass: verdict.pass,
			reason: verdict.reason
		};
	} catch (e) {
		if (!(e instanceof ExchangeError)) throw e;
		return { ...base, error: { kind: e.kind, message: e.message }, pass: false, reason: explain(e, timeoutMs) };
	}
	const status = result.response?.status ?? 0;
	if (c.undoIfAccepted && status >= 200 && status < 300) {
		try {
			const undo = await exchange(to, RESET_REQUEST, { timeoutMs });
			result.reset = `the pot accepted this request, so BREW stop was sent to empty it (answered ${startLine(undo.response)})`;
		} catch (e) {
			result.reset = `the pot accepted this request; BREW stop to empty it failed: ${(e as Error).message}`;
		}
	}
	return result;
}

export async function runBattery(to: PotAddress, cases: readonly PotCase[], options: RunOptions = {}): Promise<PotReport> {
	const timeoutMs = options.timeoutMs ?? 3000;
	const report: PotReport = {
		target: hostPort(to),
		startedAt: new Date().toISOString(),
		unreachable: false,
		results: [],
		passed: 0,
		failed: 0
	};
	for (const c of cases) {
		const result = await runCase(to, c, timeoutMs);
		if (report.results.length === 0 && result.error?.kind === 'unreachable') {
			report.unreachable = true;
			result.reason = result.error.message;
			report.results.push(result);
			report.failed = 1;
			return report;
		}
		report.results.push(result);
		if (result.pass) report.passed++;
		else report.failed++;
		options.onResult?.(result);
	}
	return report;
}

/** The report as a `check` record for the session recording (docs/recording.md), for checkoff. */
export function reportAsCheck(report: PotReport): CheckPayload {
	const failed = report.results.filter((r) => !r.pass).map((r) => r.name);
	return {
		check: 'check-my-pot',
		passed: !report.unreachable && report.failed === 0,
		detail: report.unreachable
			? `nothing answered at ${report.target}`
			: `${report.passed} of ${report.results.length} cases passed at ${report.target}${failed.length > 0 ? `; failed: ${failed.join(', ')}` : ''}`,
		report
	};
}
