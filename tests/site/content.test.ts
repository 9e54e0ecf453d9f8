import { describe, expect, it } from 'vitest';
import { buildTasks, parsePanel, TASKS, taskName } from '../../src/lib/site/content';
import { contentFrontmatter, taskTitle } from './helpers';

const loader = () => Promise.resolve({ default: () => {} });

describe('content index', () => {
	it('lists the tasks in content/ with their numbers, slugs and panels', () => {
		const names = TASKS.map(taskName);
		expect(names).toContain(taskTitle('01-architecture'));
		expect(names).toContain(taskTitle('03-tcp-and-ports'));
		const arch = TASKS.find((t) => t.slug === 'architecture');
		const written = contentFrontmatter('01-architecture').panels as string[];
		expect(arch?.panels).toEqual(written.map((entry) => parsePanel(entry, 'test')));
		expect(arch?.goals.length).toBeGreaterThan(0);
		expect(typeof arch?.minutes).toBe('number');
	});

	it('loads a task page as a component', async () => {
		const component = await TASKS[0].load();
		expect(typeof component).toBe('function');
	});

	it('orders by `order`, skips xx- drafts and keeps unknown fields', () => {
		const tasks = buildTasks(
			{
				'/content/02-b/index.md': { title: 'B', order: 1, questions: ['q'] },
				'/content/01-a/index.md': { title: 'A', order: 2 },
				'/content/xx-draft/index.md': { title: 'Draft' }
			},
			{ '/content/02-b/index.md': loader, '/content/01-a/index.md': loader, '/content/xx-draft/index.md': loader }
		);
		expect(tasks.map((t) => [t.number, t.slug])).toEqual([
			[2, 'b'],
			[1, 'a']
		]);
		expect(tasks[0].meta.questions).toEqual(['q']);
	});

	it('refuses a page without a title or a folder without a number', () => {
		expect(() => buildTasks({ '/content/01-a/index.md': {} }, {})).toThrow(/needs a title/);
		expect(() => buildTasks({ '/content/intro/index.md': { title: 'x' } }, {})).toThrow(/NN-name/);
	});

	it('reads panel entries and names the mistake in a bad one', () => {
		expect(parsePanel('inspector:tcp.port == 5031', 'x')).toEqual({ kind: 'inspector', arg: 'tcp.port == 5031' });
		expect(parsePanel('terminal:shell', 'x')).toEqual({ kind: 'terminal', arg: 'shell' });
		expect(() => parsePanel('terminal:kettle', 'x')).toThrow(/terminal:pot/);
		expect(() => parsePanel('radio', 'x')).toThrow(/unknown panel "radio"/);
	});
});
