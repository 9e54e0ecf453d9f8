import { error } from '@sveltejs/kit';
import { findTask, TASKS } from '$lib/site/content';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ params }) => {
	const task = findTask(params.slug);
	if (!task) error(404, `There is no task called "${params.slug}".`);
	const at = TASKS.indexOf(task);
	return {
		task,
		content: await task.load(),
		previous: TASKS[at - 1] ?? null,
		next: TASKS[at + 1] ?? null
	};
};
