/**
 * Loads the lab's pages from content/NN-name/index.md: the YAML frontmatter
 * (with the `yaml` package, keeping node positions so every problem names
 * its `file:line`), checked with the shared page rules (src/lib/lab/page.ts).
 * The relay grades with the pages this returns; the content check reports
 * the problems.
 */

import fs from 'node:fs';
import path from 'node:path';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { checkFrontmatter, type LabPage } from '../../src/lib/lab/page';
import type { Problem } from '../../src/lib/lab/schema';

export interface Located {
	file: string;
	line: number;
	message: string;
}

export interface SourcePage {
	/** Path as reported (relative to the working directory when inside it). */
	file: string;
	folder: string;
	text: string;
	/** 1-based line of the first body line (after the closing `---`). */
	bodyLine: number;
	body: string;
	page: LabPage | null;
}

export interface LoadedContent {
	pages: LabPage[];
	sources: SourcePage[];
	problems: Located[];
}

/** The part of a file between its opening and closing `---` lines. */
export function splitFrontmatter(text: string): { yaml: string; body: string; bodyLine: number } | null {
	const lines = text.split('\n');
	if (lines[0]?.trim() !== '---') return null;
	const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
	if (end < 0) return null;
	return { yaml: lines.slice(1, end).join('\n'), body: lines.slice(end + 1).join('\n'), bodyLine: end + 2 };
}

/** The line (1-based, within the YAML) of the node a problem's path names, or of its nearest existing parent. */
function lineOf(doc: Document, counter: LineCounter, where: (string | number)[]): number {
	for (let n = where.length; n >= 0; n--) {
		const node = n === 0 ? doc.contents : doc.getIn(where.slice(0, n), true);
		if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
	}
	return 1;
}

export function displayPath(file: string): string {
	const rel = path.relative(process.cwd(), file);
	return rel && !rel.startsWith('..') ? rel : file;
}

/** Reads and checks one page file. */
export function loadPage(file: string): { source: SourcePage; problems: Located[] } {
	const shown = displayPath(file);
	const folder = path.basename(path.dirname(file));
	const text = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
	const problems: Located[] = [];
	const at = (line: number, message: string) => problems.push({ file: shown, line, message });
	const split = splitFrontmatter(text);
	if (!split) {
		at(1, 'the page must start with frontmatter between two "---" lines (title: is required)');
		return { source: { file: shown, folder, text, bodyLine: 1, body: text, page: null }, problems };
	}
	const counter = new LineCounter();
	const doc = parseDocument(split.yaml, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
	if (doc.errors.length > 0) {
		for (const e of doc.errors) at(counter.linePos(e.pos[0]).line + 1, `YAML: ${e.message.split('\n')[0]}`);
		return { source: { file: shown, folder, text, bodyLine: split.bodyLine, body: split.body, page: null }, problems };
	}
	const { page, problems: found } = checkFrontmatter(folder, doc.toJS());
	for (const p of found as Problem[]) at(lineOf(doc, counter, p.path) + 1, p.message);
	return { source: { file: shown, folder, text, bodyLine: split.bodyLine, body: split.body, page }, problems };
}

/** Every page under `dir` (drafts, `xx-*`, skipped), in folder order. */
export function loadContent(dir: string): LoadedContent {
	const out: LoadedContent = { pages: [], sources: [], problems: [] };
	let folders: string[];
	try {
		folders = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
	} catch (error) {
		out.problems.push({ file: displayPath(dir), line: 1, message: `cannot read the content folder (${(error as NodeJS.ErrnoException).code})` });
		return out;
	}
	const slugs = new Map<string, string>();
	for (const folder of folders) {
		if (folder.startsWith('xx-') || folder.startsWith('.')) continue;
		const file = path.join(dir, folder, 'index.md');
		if (!fs.existsSync(file)) {
			out.problems.push({ file: displayPath(path.join(dir, folder)), line: 1, message: 'a page folder needs an index.md (or rename it xx-... to mark it a draft)' });
			continue;
		}
		const { source, problems } = loadPage(file);
		out.sources.push(source);
		out.problems.push(...problems);
		const page = source.page;
		if (!page) continue;
		const other = slugs.get(page.slug);
		if (other) out.problems.push({ file: source.file, line: 1, message: `the address /tasks/${page.slug} is already used by ${other}` });
		slugs.set(page.slug, source.file);
		out.pages.push(page);
	}
	out.pages.sort((a, b) => (a.frontmatter.order ?? a.number) - (b.frontmatter.order ?? b.number) || a.number - b.number);
	return out;
}
