#!/usr/bin/env node
// `npm start`: builds the tutor site when build/ is missing or older than its
// sources (src/, content/, static/, the configs), then runs the relay with the
// flags given after `--`. Signals reach the relay, which stops everything it started.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { RELAY_NODE_FLAGS } from '../server/relay/node-flags.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const BUILT = path.join(ROOT, 'build', 'handler.js');
const SOURCES = ['src', 'content', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'];

/** The newest modification time under a file or folder. */
function newest(p) {
	const st = statSync(p);
	if (!st.isDirectory()) return st.mtimeMs;
	let latest = st.mtimeMs;
	for (const entry of readdirSync(p)) latest = Math.max(latest, newest(path.join(p, entry)));
	return latest;
}

const sourcesTime = Math.max(...SOURCES.map((s) => path.join(ROOT, s)).filter(existsSync).map(newest));
if (!existsSync(BUILT) || statSync(BUILT).mtimeMs < sourcesTime) {
	console.log(existsSync(BUILT) ? 'The site changed since it was built; building it again…' : 'Building the tutor site (first start only)…');
	const build = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'error'], { cwd: ROOT, stdio: 'inherit' });
	if (build.status !== 0) {
		console.error('start: building the site failed (see above); fix the error, or run `npm run build` to see it again');
		process.exit(1);
	}
}

const relay = spawn(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [...RELAY_NODE_FLAGS, path.join(ROOT, 'server', 'relay', 'main.ts'), ...process.argv.slice(2)], {
	cwd: ROOT,
	stdio: 'inherit'
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => relay.kill(signal));
relay.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
