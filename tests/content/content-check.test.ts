import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, TSX } from '../helpers/process';
import { publicFrontmatter } from '../../svelte.config.js';

function contentCheck(...args: string[]) {
	const r = spawnSync(TSX, ['server/content-check/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
	return { code: r.status, out: r.stdout, err: r.stderr };
}

const BROKEN = 'tests/content/fixtures/broken';
const f = (page: string) => path.join(BROKEN, page, 'index.md');

describe('npm run content:check', () => {
	it('passes on the shipped content', () => {
		const r = contentCheck();
		expect(r.out).toMatch(/^content:check: ok, \d+ page\(s\)/m);
		expect(r.code).toBe(0);
	});

	it('reports each broken example with its file and line', () => {
		const r = contentCheck('--content', BROKEN);
		expect(r.code).toBe(1);
		const lines = r.out.trim().split('\n');
		const expected = [
			`${f('01-broken')}:4: unknown field "colour"`,
			`${f('01-broken')}:5: "terminal:kettle" names no terminal`,
			`${f('01-broken')}:5: display filter "htcpcp and (" does not compile`,
			`${f('01-broken')}:11: answer must be one of the options`,
			`${f('01-broken')}:13: question id "pick-one" is used twice`,
			`${f('01-broken')}:17: answer must list every option exactly once`,
			`${f('01-broken')}:19: id must be kebab-case`,
			`${f('01-broken')}:29: hop must be one of browser-webapp, webapp-pot`,
			`${f('01-broken')}:32: answer is required`,
			`${f('01-broken')}:39: pot-status: status must be a status code`,
			`${f('01-broken')}:42: check is not a check the engine knows`,
			`${f('01-broken')}:46: program-restarted: program must be pot or webapp`,
			`${f('02-body')}:16: imports $lib/components/Kettle.svelte, which does not exist`,
			`${f('02-body')}:21: name="kettle" is not a terminal`,
			`${f('02-body')}:23: display filter "tcp.port ==" does not compile`,
			`${f('02-body')}:23: <Inspector> has no prop "colour"`,
			`${f('02-body')}:25: <Question id="no-such-question"/> names no question`,
			`${f('02-body')}:27: <TryIt> is used but not imported`,
			`${f('02-body')}:33: the link "/tasks/no-such-task" points to /tasks/no-such-task, which is no page`,
			`${f('02-body')}:33: the link "/diagrams/missing.svg" names /diagrams/missing.svg`,
			`${f('02-body')}:34: the link "../body" does not resolve on the site; link to the task as /tasks/body`,
			`${f('03-yaml')}:4: YAML:`
		];
		for (const want of expected) expect(lines.some((l) => l.startsWith(want)), `missing: ${want}\n${r.out}`).toBe(true);
		// Code blocks and inline code are not checked; a correct link is not reported.
		expect(r.out).not.toMatch(/Bogus|Fake|"\/tasks\/broken"/);
		expect(lines.at(-1)).toMatch(/^content:check: \d+ problem\(s\) in 3 page\(s\)/);
	});

	it('says what to fix for a bad command line', () => {
		const r = contentCheck('--content', 'no/such/folder');
		expect(r.code).toBe(2);
		expect(r.err.trim().split('\n')).toHaveLength(1);
		expect(r.err).toMatch(/is not a folder; point --content/);
	});
});

describe('the frontmatter the browser gets', () => {
	it('keeps prompts and options but not answers, explanations or traffic queries', () => {
		const messages: unknown[] = [];
		const out = publicFrontmatter(
			[
				'title: T',
				'questions:',
				'  - { id: a, type: single, prompt: P?, options: [x, y], answer: y, explanation: Because y. }',
				'  - { id: b, type: numeric, prompt: Port?, traffic: { query: client-port, missing: Load it. }, explanation: E., tolerance: 1 }',
				'checks:',
				'  - { id: c, check: pot-status, with: { status: 418 }, label: Teapot, checkoff: true }'
			].join('\n'),
			messages
		);
		expect(out.questions).toEqual([
			{ id: 'a', type: 'single', prompt: 'P?', options: ['x', 'y'], points: 1, fromTraffic: false },
			{ id: 'b', type: 'numeric', prompt: 'Port?', points: 1, fromTraffic: true }
		]);
		expect(out.checks).toEqual([{ id: 'c', check: 'pot-status', label: 'Teapot', checkoff: true }]);
		expect(JSON.stringify(out)).not.toMatch(/Because|client-port|tolerance/);
	});
});
