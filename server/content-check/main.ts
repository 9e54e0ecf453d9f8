/**
 * `npm run content:check`: validates every page under content/ and prints
 * one `file:line: what is wrong` line per problem. Exit status 0 when every
 * page is fine, 1 when any problem was found, 2 for a usage error.
 *
 *   npm run content:check [-- --content DIR]
 */

import fs from 'node:fs';
import path from 'node:path';
import { ROOT_DIR } from '../shared/paths';
import { checkContent, formatProblem } from './check';

function usage(message: string): never {
	process.stderr.write(`content:check: ${message}\n`);
	process.exit(2);
}

function main(): void {
	const args = process.argv.slice(2);
	let contentDir = path.join(ROOT_DIR, 'content');
	for (let i = 0; i < args.length; i++) {
		const a = args[i];
		if (a === '--content') {
			const value = args[++i];
			if (!value) usage('--content needs a folder, e.g. --content content');
			contentDir = path.resolve(value);
		} else if (a === '--help' || a === '-h') {
			process.stdout.write('usage: npm run content:check [-- --content DIR]\nChecks every content/NN-name/index.md; prints file:line: problem.\n');
			return;
		} else usage(`unknown argument "${a}"; the only option is --content DIR`);
	}
	if (!fs.existsSync(contentDir) || !fs.statSync(contentDir).isDirectory()) usage(`${contentDir} is not a folder; point --content at the pages' folder`);
	const report = checkContent({ contentDir, componentsDir: path.join(ROOT_DIR, 'src/lib/components'), staticDir: path.join(ROOT_DIR, 'static') });
	for (const p of report.problems) process.stdout.write(`${formatProblem(p)}\n`);
	const summary = `${report.pages} page(s), ${report.questions} question(s), ${report.checks} check(s)`;
	if (report.problems.length > 0) {
		process.stdout.write(`content:check: ${report.problems.length} problem(s) in ${summary}\n`);
		process.exitCode = 1;
	} else process.stdout.write(`content:check: ok, ${summary}\n`);
}

main();
