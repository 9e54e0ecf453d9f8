/**
 * The student's answers, attempts, scores and passed checks, kept in one
 * JSON file under the relay's `--data` folder (`lab/progress.json`). Every
 * change is written at once, atomically (a temporary file renamed over the
 * old one), so a reload, a crash or a relay restart never loses or half
 * writes it. A file that cannot be read is kept aside and a fresh one begun.
 */

import fs from 'node:fs';
import path from 'node:path';
import type { AnswerValue, GradeStatus } from '../../src/lib/lab/questions';

export interface StoredAnswer {
	value: AnswerValue;
	status: GradeStatus;
	message: string;
	at: string;
}

export interface StoredQuestion {
	attempts: number;
	correct: boolean;
	/** Points earned (the question's points once answered correctly). */
	score: number;
	firstCorrectAt?: string;
	last?: StoredAnswer;
	/** Every graded answer, oldest first (bounded). */
	history: StoredAnswer[];
}

export interface StoredCheck {
	passedAt: string;
	detail: string;
}

export interface StoredPage {
	questions: Record<string, StoredQuestion>;
	checks: Record<string, StoredCheck>;
}

export interface StoredProgress {
	version: 1;
	pages: Record<string, StoredPage>;
}

const HISTORY = 50;

export class ProgressStore {
	readonly file: string;
	private data: StoredProgress;

	constructor(dataDir: string, private readonly log: (line: string) => void = () => {}) {
		this.file = path.join(dataDir, 'lab', 'progress.json');
		fs.mkdirSync(path.dirname(this.file), { recursive: true });
		this.data = this.read();
	}

	private read(): StoredProgress {
		let text: string;
		try {
			text = fs.readFileSync(this.file, 'utf8');
		} catch {
			return { version: 1, pages: {} };
		}
		try {
			const value = JSON.parse(text) as StoredProgress;
			if (value && value.version === 1 && value.pages && typeof value.pages === 'object') return value;
			throw new Error('not a progress file');
		} catch (error) {
			const aside = `${this.file}.unreadable-${Date.now()}`;
			fs.renameSync(this.file, aside);
			this.log(`lab: ${this.file} could not be read (${(error as Error).message}); kept it as ${aside} and started afresh`);
			return { version: 1, pages: {} };
		}
	}

	private write(): void {
		const tmp = `${this.file}.${process.pid}.tmp`;
		const fd = fs.openSync(tmp, 'w');
		try {
			fs.writeSync(fd, JSON.stringify(this.data, null, '\t'));
			fs.fsyncSync(fd);
		} finally {
			fs.closeSync(fd);
		}
		fs.renameSync(tmp, this.file);
	}

	private page(slug: string): StoredPage {
		return (this.data.pages[slug] ??= { questions: {}, checks: {} });
	}

	all(): Readonly<StoredProgress> {
		return this.data;
	}

	question(slug: string, id: string): StoredQuestion | undefined {
		return this.data.pages[slug]?.questions[id];
	}

	check(slug: string, id: string): StoredCheck | undefined {
		return this.data.pages[slug]?.checks[id];
	}

	/** Records a graded answer; `invalid` and `missing` answers are not attempts and are not stored. */
	recordAnswer(slug: string, id: string, answer: StoredAnswer, points: number): StoredQuestion {
		const page = this.page(slug);
		const q = (page.questions[id] ??= { attempts: 0, correct: false, score: 0, history: [] });
		q.attempts += 1;
		q.last = answer;
		q.history.push(answer);
		if (q.history.length > HISTORY) q.history.splice(0, q.history.length - HISTORY);
		if (answer.status === 'correct' && !q.correct) {
			q.correct = true;
			q.score = points;
			q.firstCorrectAt = answer.at;
		}
		this.write();
		return q;
	}

	/** Marks checks passed (once passed, a check stays passed). */
	recordChecks(passed: { slug: string; id: string; detail: string }[], at: string): void {
		let changed = false;
		for (const p of passed) {
			const page = this.page(p.slug);
			if (page.checks[p.id]) continue;
			page.checks[p.id] = { passedAt: at, detail: p.detail };
			changed = true;
		}
		if (changed) this.write();
	}
}
