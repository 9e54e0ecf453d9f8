/**
 * `npm run checkoff -- FILES_OR_FOLDERS... [--csv OUT] [--keys FILE] [--content DIR] [--progress]`
 *
 * Verifies students' session recordings and judges the lab's checkoff
 * criteria from them: a table per recording on stdout, optionally a CSV for
 * the LMS. Exit status: 0 every recording read and intact (whatever the
 * students' results), 1 some recording tampered, cut short or unreadable,
 * 2 a usage error.
 */

import fs from 'node:fs';
import path from 'node:path';
import { readTrustedKeys } from '../recording/keys';
import { CriteriaError, DEFAULT_CONTENT_DIR, loadCriteria } from './criteria';
import { ProgressBar } from './progress';
import { formatResult, formatSummary, toCsv } from './report';
import { collectFiles, exitCodeOf, InputError, runCheckoff } from './run';

const USAGE = `Usage: npm run checkoff -- FILES_OR_FOLDERS... [options]

Verifies .labrec session recordings (hash chain, signatures) and judges the
lab's checkoff criteria (the content's checks marked checkoff: true) from the
traffic each recording holds.

  --csv OUT        also write one CSV row per recording to OUT (for the LMS)
  --keys FILE      pin the class's tutor keys: a public key .pem, a file of
                   fingerprints, or a folder of them (repeatable); a recording
                   signed by any other key is rejected
  --content DIR    the lab content that declares the criteria (default content/)
  --progress       show a progress bar on stderr even when it is not a terminal
  --help           show this help

Exit status: 0 every recording is intact and was read (whatever the students'
results), 1 some recording is tampered, cut short or unreadable, 2 usage error.`;

function usageError(message: string): never {
	process.stderr.write(`checkoff: ${message}\n`);
	process.exit(2);
}

interface Args {
	paths: string[];
	csv: string | null;
	keys: string[];
	content: string;
	progress: boolean;
}

function parseArgs(argv: string[]): Args | 'help' {
	const args: Args = { paths: [], csv: null, keys: [], content: DEFAULT_CONTENT_DIR, progress: false };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const eq = arg.indexOf('=');
		const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
		const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
		const value = () => {
			if (inline !== undefined) return inline;
			const next = argv[++i];
			if (next === undefined || next === '') usageError(`${name} needs a value (see --help)`);
			return next;
		};
		switch (name) {
			case '--help':
			case '-h':
				return 'help';
			case '--csv':
				args.csv = value();
				break;
			case '--keys':
				args.keys.push(value());
				break;
			case '--content':
				args.content = value();
				break;
			case '--progress':
				args.progress = true;
				break;
			case '--':
				args.paths.push(...argv.slice(i + 1));
				i = argv.length;
				break;
			default:
				if (arg.startsWith('-') && arg !== '-') usageError(`unknown option ${arg}; see --help`);
				args.paths.push(arg);
		}
	}
	return args;
}

const args = parseArgs(process.argv.slice(2));
if (args === 'help') {
	process.stdout.write(`${USAGE}\n`);
	process.exit(0);
}
if (args.paths.length === 0) usageError('name the recordings to check: npm run checkoff -- FILE.labrec or a folder of them');

let trustedKeys: Set<string> | undefined;
if (args.keys.length > 0) {
	try {
		trustedKeys = readTrustedKeys(args.keys);
	} catch (error) {
		const e = error as NodeJS.ErrnoException;
		usageError(e.code === 'ENOENT' ? `--keys ${e.path ?? ''}: no such file or folder` : `--keys: ${e.message}`);
	}
	if (trustedKeys.size === 0) usageError(`--keys ${args.keys.join(' ')} holds no keys; give the class's recording-key.pub.pem files or fingerprints`);
}
if (args.csv !== null) {
	const dir = path.dirname(path.resolve(args.csv));
	if (!fs.existsSync(dir)) usageError(`--csv ${args.csv}: the folder ${dir} does not exist`);
}

let criteria;
try {
	criteria = loadCriteria(path.resolve(args.content));
} catch (error) {
	if (error instanceof CriteriaError) usageError(`${error.message} (fix it, or choose the content with --content DIR)`);
	throw error;
}

let files: string[];
try {
	files = collectFiles(args.paths);
} catch (error) {
	if (error instanceof InputError) usageError(error.message);
	throw error;
}

const bar = new ProgressBar(files.length, process.stderr, args.progress || (process.stderr.isTTY === true && files.length > 1));
const results = runCheckoff(files, criteria, { trustedKeys, onProgress: (done, file) => bar.update(done, file) });
bar.done();

process.stdout.write(`${results.map(formatResult).join('\n\n')}\n\n${formatSummary(results)}\n`);
if (args.csv !== null) {
	try {
		fs.writeFileSync(args.csv, toCsv(results, criteria));
		process.stdout.write(`CSV written to ${args.csv}\n`);
	} catch (error) {
		process.stderr.write(`checkoff: cannot write --csv ${args.csv} (${(error as NodeJS.ErrnoException).code}); choose another file\n`);
		process.exit(2);
	}
}
process.exit(exitCodeOf(results));
