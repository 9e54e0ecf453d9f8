/**
 * The lab's progress in the page: the state the relay pushes (`lab-state`:
 * per page, its questions' attempts and feedback and its checks), answers
 * sent for grading (`lab-answer`, answered by `lab-result`), and the "check
 * my pot" action. Nothing here grades: answers live on the relay.
 */

import type { AnswerValue } from '$lib/lab/questions';
import type { AnswerResult, LabState, PageState } from '$lib/lab/public';
import { RELAY_PROTOCOL_VERSION } from '$lib/relay-protocol';
import { relay } from './relay.svelte';

const ANSWER_TIMEOUT_MS = 15_000;

class Lab {
	state = $state<LabState>({});
	/** True once the relay has sent the lab's state (it runs the lab engine). */
	ready = $state(false);
	private refs = 0;
	private pending = new Map<number, (result: AnswerResult) => void>();
	private started = false;

	start(): void {
		if (this.started || typeof window === 'undefined') return;
		this.started = true;
		relay().onLab((message) => {
			if (message.type === 'lab-state') {
				this.state = message.pages;
				this.ready = true;
				return;
			}
			const done = this.pending.get(message.ref);
			if (!done) return;
			this.pending.delete(message.ref);
			done({ status: message.status, message: message.message, explanation: message.explanation, attempts: message.attempts, correct: message.correct });
		});
		relay().start();
	}

	page(slug: string): PageState | undefined {
		return this.state[slug];
	}

	/** Sends one answer; resolves with the relay's grade. */
	answer(page: string, question: string, value: AnswerValue): Promise<AnswerResult> {
		this.start();
		const ref = ++this.refs;
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.pending.delete(ref);
				resolve({ status: 'invalid', message: 'The relay did not answer; is it still running? Try again.', attempts: 0, correct: false });
			}, ANSWER_TIMEOUT_MS);
			this.pending.set(ref, (result) => {
				clearTimeout(timer);
				resolve(result);
			});
			relay().sendAnswer({ v: RELAY_PROTOCOL_VERSION, type: 'lab-answer', ref, page, question, value });
		});
	}

	/** Runs "check my pot" on the relay; resolves with one line to show. */
	async checkPot(): Promise<{ ok: boolean; text: string }> {
		try {
			const res = await fetch('/api/lab/check-pot', { method: 'POST', credentials: 'same-origin' });
			const body = (await res.json()) as { passed?: number; failed?: number; unreachable?: boolean; message?: string };
			if (!res.ok) return { ok: false, text: body.message ?? `The relay answered ${res.status}.` };
			if (body.unreachable) return { ok: false, text: 'Nothing answered at the pot\'s port: start the pot (its terminal) and try again.' };
			return { ok: body.failed === 0, text: `${body.passed} case(s) passed, ${body.failed} failed${body.failed ? ': run npm run check-pot in the shell for the details' : ''}.` };
		} catch {
			return { ok: false, text: 'Could not reach the relay.' };
		}
	}
}

export const lab = new Lab();

/** What a page's questions and checks components share (set by the task page). */
export interface LabPageContext {
	slug: string;
	questions: import('$lib/lab/public').PublicQuestion[];
	checks: import('$lib/lab/public').PublicCheck[];
	/** Question ids placed in the text (the rest are shown at the end). */
	placed: Set<string>;
	/** True when the text places <Checks/> itself. */
	checksPlaced: boolean;
}

export const LAB_PAGE = Symbol('lab-page');
