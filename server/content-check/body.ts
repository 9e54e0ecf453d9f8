/**
 * Checks a page's markdown body: the components it places (`<Name .../>`
 * exists in src/lib/components/, is imported, gets only props it declares,
 * with values it accepts) and its links and images (other tasks and files
 * under static/ must exist). Code blocks and inline code are skipped.
 */

import fs from 'node:fs';
import path from 'node:path';
import { filterProblem } from '../../src/lib/lab/page';
import type { SourcePage, Located } from '../lab/content';

export interface BodyContext {
	componentsDir: string;
	staticDir: string;
	/** Every page's address. */
	slugs: Set<string>;
}

/** Blanks fenced code blocks and inline code (keeping line breaks, so offsets still give lines). */
export function maskCode(body: string): string {
	const blank = (s: string) => s.replace(/[^\n]/g, ' ');
	let out = body.replace(/^([ \t]*)(```|~~~)[^\n]*\n[\s\S]*?^\1\2[^\n]*$/gm, blank);
	out = out.replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, blank);
	return out;
}

/** The prop names a component declares in its `let { ... } = $props()`. */
export function componentProps(source: string): Set<string> | null {
	const at = source.search(/let\s*\{[\s\S]*?\}\s*(?::[\s\S]*?)?=\s*\$props\(\)/);
	if (at < 0) return new Set();
	const open = source.indexOf('{', at);
	let depth = 0;
	let end = open;
	for (; end < source.length; end++) {
		if ('{[('.includes(source[end])) depth++;
		else if ('}])'.includes(source[end]) && --depth === 0) break;
	}
	const inner = source.slice(open + 1, end);
	const names = new Set<string>();
	let level = 0;
	let start = 0;
	const take = (part: string) => {
		const m = /^\s*(\.\.\.)?\s*([A-Za-z_$][\w$]*)/.exec(part);
		if (!m) return;
		if (m[1]) names.add('...');
		else names.add(m[2]);
	};
	for (let i = 0; i <= inner.length; i++) {
		const c = inner[i];
		if (c !== undefined && '{[('.includes(c)) level++;
		else if (c !== undefined && '}])'.includes(c)) level--;
		else if ((c === ',' || c === undefined) && level === 0) {
			take(inner.slice(start, i));
			start = i + 1;
		}
	}
	return names;
}

interface Attr {
	name: string;
	/** A quoted value, or null for an expression or a bare attribute. */
	text: string | null;
	expr: string | null;
}

function parseAttrs(src: string): Attr[] {
	const out: Attr[] = [];
	const re = /([A-Za-z_:][\w:.-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|\{([^}]*)\}))?/g;
	for (const m of src.matchAll(re)) out.push({ name: m[1], text: m[2] ?? m[3] ?? null, expr: m[4] ?? null });
	return out;
}

const VALUES: Record<string, Record<string, (value: string, page: SourcePage) => string | null>> = {
	Terminal: { name: (x) => (['pot', 'webapp', 'shell'].includes(x) ? null : `name="${x}" is not a terminal; use pot, webapp or shell`) },
	TryIt: { action: (x) => (['open', 'frame', 'request'].includes(x) ? null : `action="${x}" is unknown; use open, frame or request`) },
	Inspector: { filter: (x) => (x.trim() === '' ? null : filterProblem(x)) },
	SequenceDiagram: { filter: (x) => (x.trim() === '' ? null : filterProblem(x)) },
	Question: {
		id: (x, page) => (page.page?.questions.some((q) => q.id === x) ? null : `<Question id="${x}"/> names no question in this page's frontmatter`)
	}
};
const REQUIRED: Record<string, string[]> = { Terminal: ['name'], Question: ['id'] };

function lineAt(text: string, offset: number): number {
	let n = 0;
	for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
	return n;
}

/** Imports in the page's <script> blocks: local name → module path. */
function imports(body: string): Map<string, string> {
	const out = new Map<string, string>();
	for (const block of body.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)) {
		for (const m of block[1].matchAll(/import\s+([A-Za-z_$][\w$]*)\s+from\s+['"]([^'"]+)['"]/g)) out.set(m[1], m[2]);
	}
	return out;
}

export function checkBody(page: SourcePage, ctx: BodyContext): Located[] {
	const problems: Located[] = [];
	const masked = maskCode(page.body);
	const at = (offset: number, message: string) => problems.push({ file: page.file, line: page.bodyLine + lineAt(masked, offset), message });
	const imported = imports(masked);
	const propsCache = new Map<string, Set<string> | null>();

	for (const [name, from] of imported) {
		const m = /^\$lib\/components\/(.+\.svelte)$/.exec(from);
		if (m && !fs.existsSync(path.join(ctx.componentsDir, m[1]))) {
			at(masked.indexOf(from), `imports ${from}, which does not exist in src/lib/components/`);
			propsCache.set(name, null);
		}
	}

	// Script blocks are not markup: blank them before looking for tags and links.
	const markup = masked.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, (s) => s.replace(/[^\n]/g, ' '));
	for (const m of markup.matchAll(/<([A-Z][\w]*)((?:[^>"'{}]|"[^"]*"|'[^']*'|\{[^}]*\})*?)\/?>/g)) {
		const name = m[1];
		const offset = m.index;
		const file = path.join(ctx.componentsDir, `${name}.svelte`);
		if (!fs.existsSync(file)) {
			at(offset, `<${name}> is not a component in src/lib/components/`);
			continue;
		}
		if (!imported.has(name)) at(offset, `<${name}> is used but not imported; add import ${name} from '$lib/components/${name}.svelte' to the page's <script>`);
		let props = propsCache.get(name);
		if (props === undefined) propsCache.set(name, (props = componentProps(fs.readFileSync(file, 'utf8'))));
		if (!props) continue;
		const attrs = parseAttrs(m[2]);
		for (const a of attrs) {
			if (!props.has(a.name) && !props.has('...')) {
				at(offset, `<${name}> has no prop "${a.name}"; it takes ${[...props].join(', ') || 'no props'}`);
				continue;
			}
			const check = VALUES[name]?.[a.name];
			if (check && a.text !== null) {
				const why = check(a.text, page);
				if (why) at(offset, why);
			}
		}
		for (const need of REQUIRED[name] ?? []) if (!attrs.some((a) => a.name === need)) at(offset, `<${name}> needs the prop ${need}="..."`);
	}

	const links: { url: string; offset: number }[] = [];
	for (const m of markup.matchAll(/!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ url: m[1], offset: m.index });
	for (const m of markup.matchAll(/\b(?:href|src)\s*=\s*["']([^"']+)["']/g)) links.push({ url: m[1], offset: m.index });
	for (const { url, offset } of links) {
		const why = linkProblem(url, page, ctx);
		if (why) at(offset, why);
	}
	return problems;
}

function linkProblem(url: string, page: SourcePage, ctx: BodyContext): string | null {
	if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//') || url.startsWith('#')) return null;
	const slug = page.page?.slug ?? page.folder;
	let resolved: URL;
	try {
		resolved = new URL(url, `http://tutor/tasks/${slug}`);
	} catch {
		return `the link "${url}" is not a valid address`;
	}
	const p = decodeURIComponent(resolved.pathname);
	if (p === '/' || p.startsWith('/api/')) return null;
	const task = /^\/tasks\/([^/]+)\/?$/.exec(p);
	if (task) return ctx.slugs.has(task[1]) ? null : `the link "${url}" points to /tasks/${task[1]}, which is no page (pages: ${[...ctx.slugs].join(', ')})`;
	const file = path.join(ctx.staticDir, p);
	if (!file.startsWith(ctx.staticDir) || !fs.existsSync(file)) {
		const last = p.split('/').filter(Boolean).at(-2 + (p.endsWith('index.md') ? 0 : 1)) ?? '';
		const guess = ctx.slugs.has(last) ? last : ctx.slugs.has(last.replace(/^\d+-/, '')) ? last.replace(/^\d+-/, '') : null;
		if (guess) return `the link "${url}" does not resolve on the site; link to the task as /tasks/${guess}`;
		return `the link "${url}" names ${p}, which is neither a task (/tasks/NAME) nor a file in static/`;
	}
	return null;
}
