#!/usr/bin/env node
// The project's whole test suite, as `npm test` runs it: the site build, then
// every vitest suite (unit, end-to-end over real sockets, browser tests in
// Chromium). Ends with the line "N passed, N failed" and a non-zero exit
// status when anything failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';

mkdirSync('test-output', { recursive: true });
let passed = 0;
let failed = 0;

function step(name, command, args) {
	console.log(`\n== ${name}: ${command} ${args.join(' ')}`);
	const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
	return result.status === 0;
}

// The site is built first: the browser tests run against the built tutor.
if (step('site build', 'npx', ['vite', 'build'])) passed += 1;
else failed += 1;

// Every content page must pass the content check (frontmatter, components, links).
if (step('content check', 'npm', ['run', '--silent', 'content:check'])) passed += 1;
else failed += 1;

const report = 'test-output/vitest.json';
rmSync(report, { force: true });
const vitestOk = step('tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
if (existsSync(report)) {
	const json = JSON.parse(readFileSync(report, 'utf8'));
	passed += json.numPassedTests;
	failed += json.numFailedTests;
	// A suite that failed to load has no tests to count; count it as a failure.
	const brokenSuites = json.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
	failed += brokenSuites;
	if (!vitestOk && json.numFailedTests === 0 && brokenSuites === 0) failed += 1;
} else {
	failed += 1;
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
