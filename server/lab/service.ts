/**
 * The lab engine on the relay: it holds the pages' questions and checks
 * (loaded from content/), a snapshot of the session built from what the
 * relay already produces (its traffic analysis output, program states,
 * terminal output), grades answers, evaluates checks live and keeps
 * everything in the progress store under `--data`.
 *
 * The relay calls `onTraffic`, `onProcessEvent`, `onTerminalOutput` as
 * things happen (each is cheap: an append), `answer` when a page sends one,
 * and listens to `onState` for the progress to push to the pages. Checks are
 * evaluated at most every `evaluateMs` while something changed.
 */

import { evaluateCheck } from '../../src/lib/lab/checks';
import type { LabPage } from '../../src/lib/lab/page';
import type { AnswerResult, CheckState, LabState, PageState, QuestionState } from '../../src/lib/lab/public';
import { grade, type AnswerValue } from '../../src/lib/lab/questions';
import { SnapshotBuilder, type ConformanceRun, type LabSnapshot, type ProcessEvent } from '../../src/lib/lab/snapshot';
import type { ServerMessage, TerminalId } from '../../src/lib/relay-protocol/index';
import { loadContent, type Located } from './content';
import { ProgressStore } from './store';

export interface LabServiceOptions {
	contentDir: string;
	dataDir: string;
	log?: (line: string) => void;
	/** Least time between two evaluations of the checks (default 200 ms). */
	evaluateMs?: number;
	now?: () => Date;
}

export class LabService {
	readonly pages: LabPage[];
	/** Problems found while loading the content (pages with problems still load what is usable). */
	readonly problems: Located[];
	readonly store: ProgressStore;
	/** Called with the whole state whenever it changes (answers, checks). */
	onState: (state: LabState) => void = () => {};
	private readonly builder = new SnapshotBuilder();
	/** The live result of checks not yet passed, per page and check id. */
	private live = new Map<string, Map<string, CheckState>>();
	private evaluated = -1;
	private timer: NodeJS.Timeout | null = null;
	private readonly evaluateMs: number;
	private readonly now: () => Date;
	private closed = false;

	constructor(options: LabServiceOptions) {
		const log = options.log ?? (() => {});
		const loaded = loadContent(options.contentDir);
		this.pages = loaded.pages;
		this.problems = loaded.problems;
		for (const p of loaded.problems.slice(0, 5)) log(`lab: ${p.file}:${p.line}: ${p.message}`);
		if (loaded.problems.length > 5) log(`lab: ... and ${loaded.problems.length - 5} more content problems (run npm run content:check)`);
		this.store = new ProgressStore(options.dataDir, log);
		this.evaluateMs = options.evaluateMs ?? 200;
		this.now = options.now ?? (() => new Date());
		for (const page of this.pages) this.countQuestions(page);
		this.evaluate();
	}

	/** The snapshot the checks and traffic questions see (read-only). */
	snapshot(): Readonly<LabSnapshot> {
		return this.builder.snapshot;
	}

	page(slug: string): LabPage | undefined {
		return this.pages.find((p) => p.slug === slug);
	}

	// ------------------------------------------------------------ inputs from the relay

	/** The relay's outgoing traffic messages (`traffic` open events and analysed `message`s). */
	onTraffic(messages: readonly ServerMessage[]): void {
		this.builder.traffic(messages);
		this.schedule();
	}

	onProcessEvent(event: ProcessEvent): void {
		this.builder.process(event);
		this.schedule();
	}

	onTerminalOutput(id: TerminalId, data: string): void {
		this.builder.terminal(id, data);
		this.schedule();
	}

	onConformance(run: ConformanceRun): void {
		this.builder.conformance(run);
		this.evaluate();
	}

	// ------------------------------------------------------------ answers

	answer(slug: string, questionId: string, value: AnswerValue): AnswerResult {
		const page = this.page(slug);
		const q = page?.questions.find((x) => x.id === questionId);
		if (!page || !q) return { status: 'invalid', message: `there is no question "${questionId}" on page "${slug}"`, attempts: 0, correct: false };
		const g = grade(q, value, this.builder.snapshot);
		if (g.status === 'invalid' || g.status === 'missing') {
			const stored = this.store.question(slug, questionId);
			return { status: g.status, message: g.message, attempts: stored?.attempts ?? 0, correct: stored?.correct ?? false };
		}
		const stored = this.store.recordAnswer(slug, questionId, { value, status: g.status, message: g.message, at: this.now().toISOString() }, q.points ?? 1);
		this.countQuestions(page);
		this.evaluate();
		// Attempts, scores and completion changed even when no check did.
		this.onState(this.state());
		return { status: g.status, message: g.message, explanation: q.explanation, attempts: stored.attempts, correct: stored.correct };
	}

	// ------------------------------------------------------------ checks

	private countQuestions(page: LabPage): void {
		const correct = page.questions.filter((q) => this.store.question(page.slug, q.id)?.correct).length;
		this.builder.questions(page.slug, page.questions.length, correct);
	}

	private schedule(): void {
		if (this.timer || this.closed) return;
		this.timer = setTimeout(() => {
			this.timer = null;
			this.evaluate();
		}, this.evaluateMs);
		this.timer.unref();
	}

	/** Evaluates every check not yet passed; passes are stored, changes are announced. */
	evaluate(): void {
		if (this.builder.version === this.evaluated) return;
		this.evaluated = this.builder.version;
		const snapshot = this.builder.snapshot;
		const passed: { slug: string; id: string; detail: string }[] = [];
		let changed = false;
		for (const page of this.pages) {
			let results = this.live.get(page.slug);
			if (!results) this.live.set(page.slug, (results = new Map()));
			for (const check of page.checks) {
				if (this.store.check(page.slug, check.id)) continue;
				const r = evaluateCheck(check, snapshot, { page: page.slug });
				const before = results.get(check.id);
				if (!before || before.pass !== r.pass || before.detail !== r.detail) changed = true;
				results.set(check.id, { pass: r.pass, detail: r.detail });
				if (r.pass) passed.push({ slug: page.slug, id: check.id, detail: r.detail });
			}
		}
		if (passed.length > 0) this.store.recordChecks(passed, this.now().toISOString());
		if (changed || passed.length > 0) this.onState(this.state());
	}

	/** Evaluates now if anything changed (e.g. before answering a state request). */
	flush(): void {
		if (this.timer) {
			clearTimeout(this.timer);
			this.timer = null;
		}
		this.evaluate();
	}

	// ------------------------------------------------------------ state

	pageState(page: LabPage): PageState {
		const questions: Record<string, QuestionState> = {};
		let score = 0;
		let maxScore = 0;
		for (const q of page.questions) {
			const s = this.store.question(page.slug, q.id);
			maxScore += q.points ?? 1;
			score += s?.score ?? 0;
			questions[q.id] = {
				attempts: s?.attempts ?? 0,
				correct: s?.correct ?? false,
				...(s?.last ? { last: { value: s.last.value, status: s.last.status, message: s.last.message, at: s.last.at }, explanation: q.explanation } : {}),
				score: s?.score ?? 0
			};
		}
		const checks: Record<string, CheckState> = {};
		for (const c of page.checks) {
			const stored = this.store.check(page.slug, c.id);
			checks[c.id] = stored
				? { pass: true, detail: stored.detail, passedAt: stored.passedAt }
				: (this.live.get(page.slug)?.get(c.id) ?? { pass: false, detail: 'not checked yet' });
		}
		const complete = Object.values(checks).every((c) => c.pass) && Object.values(questions).every((q) => q.correct);
		return { questions, checks, complete, score, maxScore };
	}

	state(): LabState {
		const out: LabState = {};
		for (const page of this.pages) out[page.slug] = this.pageState(page);
		return out;
	}

	close(): void {
		this.closed = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = null;
	}
}
