/**
 * The student's progress, kept in this browser's localStorage for now (a
 * later step moves it to the relay). A task is "visited" once opened and
 * "done" when the student marks it so.
 */

export type TaskProgress = { visited?: boolean; done?: boolean };

const KEY = 'htcpcp-tutor-progress';

function load(): Record<string, TaskProgress> {
	try {
		const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(KEY);
		const value: unknown = raw ? JSON.parse(raw) : {};
		return value && typeof value === 'object' ? (value as Record<string, TaskProgress>) : {};
	} catch {
		return {};
	}
}

class Progress {
	tasks = $state<Record<string, TaskProgress>>({});
	private loaded = false;

	/** Reads localStorage (in the browser, once). */
	init(): void {
		if (this.loaded || typeof localStorage === 'undefined') return;
		this.loaded = true;
		this.tasks = load();
	}

	of(slug: string): TaskProgress {
		return this.tasks[slug] ?? {};
	}

	set(slug: string, change: TaskProgress): void {
		this.init();
		this.tasks = { ...this.tasks, [slug]: { ...this.of(slug), ...change } };
		try {
			localStorage.setItem(KEY, JSON.stringify(this.tasks));
		} catch {
			// Private windows may refuse storage; progress then lasts for this page only.
		}
	}
}

export const progress = new Progress();
