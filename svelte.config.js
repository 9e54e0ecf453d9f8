import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { mdsvex } from 'mdsvex';
import { parse } from 'yaml';

/**
 * The pages' frontmatter as the browser gets it. Questions are graded on the
 * relay, so what would give an answer away (answer, accepted forms,
 * tolerance, explanation, the traffic query) is dropped here, before the
 * page is compiled; checks keep only what the page shows. The public shapes
 * are PublicQuestion / PublicCheck in src/lib/lab/public.ts.
 * @param {string} text
 * @param {{ push(message: unknown): void }} messages
 */
export function publicFrontmatter(text, messages) {
	let data;
	try {
		data = parse(text);
	} catch (error) {
		messages.push(new Error(`frontmatter: ${/** @type {Error} */ (error).message}`));
		return undefined;
	}
	if (!data || typeof data !== 'object') return undefined;
	const out = { ...data };
	if (Array.isArray(data.questions)) {
		out.questions = data.questions.map((q) => ({
			id: q?.id,
			type: q?.type,
			prompt: q?.prompt,
			...(Array.isArray(q?.options) ? { options: q.options.map(String) } : {}),
			points: typeof q?.points === 'number' ? q.points : 1,
			fromTraffic: q?.traffic !== undefined
		}));
	}
	if (Array.isArray(data.checks)) {
		out.checks = data.checks.map((c) => ({ id: c?.id, check: c?.check, label: c?.label, checkoff: c?.checkoff === true }));
	}
	return out;
}

/** @type {import('@sveltejs/kit').Config} */
const config = {
	extensions: ['.svelte', '.md'],
	preprocess: [vitePreprocess(), mdsvex({ extensions: ['.md'], frontmatter: { parse: publicFrontmatter, marker: '-', type: 'yaml' } })],
	kit: {
		adapter: adapter({ out: 'build' }),
		alias: {
			$content: 'content'
		}
	}
};

export default config;
