/**
 * `npm run check-pot -- --to HOST:PORT`: runs the "check my pot" battery
 * against a pot and prints each case's request, response and verdict.
 * Exit codes: 0 all cases pass, 1 some fail, 2 usage error, 3 pot unreachable.
 */

import { parseArgs } from 'node:util';
import { POT_PORT } from '../../src/lib/protocol/index';
import { BATTERY, selectCases } from './battery';
import { runBattery, type CaseResult } from './run';
import { parseHostPort } from './target';

const USAGE = `Usage: npm run check-pot -- [--to HOST:PORT] [--only NAME]... [--json] [--timeout MS] [--list]

  --to HOST:PORT  the pot to check (default 127.0.0.1:${POT_PORT})
  --only NAME     run only this case, or a group such as "scheme" (repeatable)
  --json          print the report as JSON instead of text
  --timeout MS    how long to wait for each response (default 3000)
  --list          list the cases and the lab requirement each one checks
  --help          show this help

Exit status: 0 every case passed, 1 some case failed, 2 usage error, 3 nothing answered at HOST:PORT.`;

// A reader that stops early (`| head`) is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
	if (err.code === 'EPIPE') process.exit(0);
	throw err;
});

function usageError(message: string): never {
	process.stderr.write(`check-pot: ${message}\n`);
	process.exit(2);
}

let values;
try {
	({ values } = parseArgs({
		options: {
			to: { type: 'string' },
			only: { type: 'string', multiple: true },
			json: { type: 'boolean' },
			timeout: { type: 'string' },
			list: { type: 'boolean' },
			help: { type: 'boolean', short: 'h' }
		},
		strict: true,
		allowPositionals: false
	}));
} catch (e) {
	usageError(`${(e as Error).message.split('\n')[0]} (see --help)`);
}

if (values.help) {
	process.stdout.write(`${USAGE}\n`);
	process.exit(0);
}
if (values.list) {
	for (const c of BATTERY) process.stdout.write(`${c.name.padEnd(40)} ${c.requirement}\n`);
	process.exit(0);
}

const to = parseHostPort(values.to ?? `127.0.0.1:${POT_PORT}`);
if (typeof to === 'string') usageError(`--to ${to}`);

let timeoutMs = 3000;
if (values.timeout !== undefined) {
	timeoutMs = Number(values.timeout);
	if (!/^\d+$/.test(values.timeout.trim()) || timeoutMs < 1 || timeoutMs > 600_000) {
		usageError(`--timeout must be a whole number of milliseconds from 1 to 600000, not "${values.timeout}"`);
	}
}

const only = (values.only ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
const { cases, unknown } = selectCases(only);
if (unknown.length > 0) {
	usageError(`no case is named ${unknown.map((n) => `"${n}"`).join(', ')}; see the names with --list`);
}

const indent = (label: string, value: string) => `      ${label.padEnd(9)} ${value}\n`;

function printResult(r: CaseResult): void {
	let out = `${r.pass ? 'PASS' : 'FAIL'}  ${r.name}\n`;
	out += indent('checks', r.requirement);
	out += indent('request', r.request.startLine);
	out += indent('response', r.response ? r.response.statusLine : `(none: ${r.error?.kind ?? 'no reply'})`);
	out += indent(r.pass ? 'why' : 'problem', r.reason);
	if (r.reset) out += indent('note', r.reset);
	process.stdout.write(`${out}\n`);
}

if (!values.json) process.stdout.write(`Checking the pot at ${values.to ?? `127.0.0.1:${POT_PORT}`} with ${cases.length} cases\n\n`);
let report;
try {
	report = await runBattery(to, cases, { timeoutMs, onResult: values.json ? undefined : printResult });
} catch (e) {
	process.stderr.write(`check-pot: the run stopped: ${(e as Error).message}\n`);
	process.exit(1);
}

if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);

if (report.unreachable) {
	process.stderr.write(
		`check-pot: ${report.results[0]?.error?.message ?? 'the pot did not answer'}; start the pot (npm run pot, or your own) or point --to at it\n`
	);
	process.exit(3);
}
if (!values.json) {
	const failed = report.results.filter((r) => !r.pass).map((r) => r.name);
	process.stdout.write(
		failed.length === 0
			? `All ${report.passed} cases passed.\n`
			: `${report.passed} of ${report.results.length} cases passed; ${failed.length} failed: ${failed.join(', ')}\n`
	);
}
process.exit(report.failed === 0 ? 0 : 1);
