/**
 * The lab's tasks, read from content/NN-name/index.md. The folder's number
 * is the task number (and the order); the rest of the folder name is the
 * address (`/tasks/architecture`). Folders starting `xx-` are drafts and are
 * skipped. Frontmatter is read eagerly (it is small); the page itself is
 * loaded when the task is opened.
 *
 * Frontmatter (see docs/site.md): `title` (required), `order`, `minutes`,
 * `goals` (list), `panels` (list of live parts for the side column). Later
 * fields pass through untouched in `meta`.
 */

import type { Component } from 'svelte';
import type { PublicCheck, PublicQuestion } from '$lib/lab/public';

export type PanelKind = 'terminal' | 'inspector' | 'diagram';

export interface Panel {
	kind: PanelKind;
	/** For a terminal, which one (pot, webapp, shell); for an inspector, its display filter. */
	arg: string;
}

export interface Task {
	slug: string;
	number: number;
	title: string;
	order: number;
	minutes: number | null;
	goals: string[];
	panels: Panel[];
	/** task, intro (the introduction) or summary. */
	kind: 'task' | 'intro' | 'summary';
	/** The page's questions and checks, without answers (svelte.config.js strips them; the relay grades). */
	questions: PublicQuestion[];
	checks: PublicCheck[];
	/** Every frontmatter field as written, for later extensions. */
	meta: Record<string, unknown>;
	load: () => Promise<Component>;
}

type Module = { default: Component; metadata?: Record<string, unknown> };

const TERMINALS = new Set(['pot', 'webapp', 'shell']);

/** Reads one `panels` entry: `terminal:pot`, `inspector`, `inspector:htcpcp or http`, `diagram`. */
export function parsePanel(entry: unknown, where: string): Panel {
	if (typeof entry !== 'string') throw new Error(`${where}: each panels entry must be a string like "terminal:pot"`);
	const colon = entry.indexOf(':');
	const kind = (colon < 0 ? entry : entry.slice(0, colon)).trim();
	const arg = colon < 0 ? '' : entry.slice(colon + 1).trim();
	if (kind === 'terminal') {
		if (!TERMINALS.has(arg)) throw new Error(`${where}: "${entry}" names no terminal; use terminal:pot, terminal:webapp or terminal:shell`);
		return { kind, arg };
	}
	if (kind === 'inspector' || kind === 'diagram') return { kind, arg };
	throw new Error(`${where}: unknown panel "${entry}"; use terminal:NAME, inspector[:FILTER] or diagram`);
}

/** Builds the task list from glob results; exported for tests. */
export function buildTasks(
	metas: Record<string, Record<string, unknown> | undefined>,
	loaders: Record<string, () => Promise<unknown>>
): Task[] {
	const tasks: Task[] = [];
	for (const [file, meta = {}] of Object.entries(metas)) {
		const m = /\/content\/([^/]+)\/index\.md$/.exec(file);
		if (!m) continue;
		const folder = m[1];
		if (folder.startsWith('xx-')) continue;
		const numbered = /^(\d+)-(.+)$/.exec(folder);
		if (!numbered) throw new Error(`${file}: task folders are named NN-name (e.g. 01-architecture)`);
		if (typeof meta.title !== 'string' || meta.title.trim() === '') throw new Error(`${file}: the frontmatter needs a title`);
		const number = Number(numbered[1]);
		const panels = Array.isArray(meta.panels) ? meta.panels.map((p) => parsePanel(p, file)) : [];
		const loader = loaders[file];
		tasks.push({
			slug: numbered[2],
			number,
			title: meta.title,
			order: typeof meta.order === 'number' ? meta.order : number,
			minutes: typeof meta.minutes === 'number' ? meta.minutes : null,
			goals: Array.isArray(meta.goals) ? meta.goals.map(String) : [],
			panels,
			kind: meta.kind === 'intro' || meta.kind === 'summary' ? meta.kind : 'task',
			questions: Array.isArray(meta.questions) ? (meta.questions as PublicQuestion[]) : [],
			checks: Array.isArray(meta.checks) ? (meta.checks as PublicCheck[]) : [],
			meta,
			load: async () => ((await loader()) as Module).default
		});
	}
	tasks.sort((a, b) => a.order - b.order || a.number - b.number);
	return tasks;
}

const metas = import.meta.glob<Record<string, unknown> | undefined>('/content/*/index.md', { eager: true, import: 'metadata' });
const loaders = import.meta.glob('/content/*/index.md');

export const TASKS: Task[] = buildTasks(metas, loaders);

export function findTask(slug: string): Task | undefined {
	return TASKS.find((t) => t.slug === slug);
}

export function taskName(t: Pick<Task, 'number' | 'title'> & { kind?: Task['kind'] }): string {
	return t.kind === 'intro' || t.kind === 'summary' ? t.title : `Task ${t.number}: ${t.title}`;
}
