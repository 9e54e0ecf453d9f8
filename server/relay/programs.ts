/**
 * What the relay runs in its three terminals: the pot, the web app (each
 * from this project unless `--pot-cmd` / `--webapp-cmd` say otherwise) and a
 * shell in the lab folder.
 *
 * A command is a template run by `/bin/sh -c`. Placeholders and environment:
 *   {port}  $PORT        the private loopback port the program must listen on
 *   {pot}   $POT         HOST:PORT of the pot's tap (what the web app talks to)
 *   {data}  $HTCPCP_DATA a folder for the program's files
 *   {https} $HTTPS       "--https" / "1" when the relay got --https, else "" / "0"
 */

import fs from 'node:fs';
import path from 'node:path';
import { ROOT_DIR } from '../shared/paths';
import type { RelayConfig } from './config';
import type { SpawnSpec } from './pty';

export interface ProgramPorts {
	/** Private loopback ports the real programs listen on. */
	potPrivate: number;
	webappPrivate: number;
	/** Public tap ports, as actually bound. */
	potTap: number;
	webappTap: number;
	/** Address clients use to reach the taps from this machine. */
	tapHost: string;
}

/** Quotes a word for /bin/sh. */
export function shellQuote(word: string): string {
	return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

const TSX_CLI = path.join(ROOT_DIR, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function tsxCommand(script: string, args: string[]): string {
	return [process.execPath, TSX_CLI, path.join(ROOT_DIR, script), ...args].map(shellQuote).join(' ');
}

export function defaultPotCommand(config: RelayConfig): string {
	const extra = config.brewSeconds === null ? [] : ['--brew-seconds', String(config.brewSeconds)];
	return `${tsxCommand('server/pot/main.ts', ['--local', ...extra])} --port {port} --data {data}`;
}

export function defaultWebappCommand(): string {
	return `${tsxCommand('server/webapp/main.ts', ['--local'])} --port {port} --pot {pot} {https}`;
}

function fill(template: string, values: Record<string, string>): string {
	return template.replace(/\{(port|pot|data|https)\}/g, (_, name: string) => values[name]);
}

function baseEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color', COLORTERM: 'truecolor' };
	delete env.NODE_OPTIONS; // the relay's own loader flags are not the program's business
	return env;
}

function programSpec(template: string, port: number, ports: ProgramPorts, config: RelayConfig, dataDir: string): SpawnSpec {
	fs.mkdirSync(dataDir, { recursive: true });
	const pot = `${ports.tapHost}:${ports.potTap}`;
	const command = fill(template, {
		port: String(port),
		pot,
		data: shellQuote(dataDir),
		https: config.https ? '--https' : ''
	}).trim();
	return {
		file: '/bin/sh',
		// A simple command replaces the shell (`exec`), so the program itself gets the
		// terminal's signals; a compound one (`a; b`, pipes) runs under the shell.
		args: ['-c', /[;&|\n()`]/.test(command) ? command : `exec ${command}`],
		cwd: dataDir,
		env: { ...baseEnv(), PORT: String(port), POT: pot, HTCPCP_DATA: dataDir, HTTPS: config.https ? '1' : '0' },
		display: command
	};
}

export function potSpec(config: RelayConfig, ports: ProgramPorts): SpawnSpec {
	return programSpec(config.potCmd ?? defaultPotCommand(config), ports.potPrivate, ports, config, path.join(config.dataDir, 'pot'));
}

export function webappSpec(config: RelayConfig, ports: ProgramPorts): SpawnSpec {
	return programSpec(config.webappCmd ?? defaultWebappCommand(), ports.webappPrivate, ports, config, path.join(config.dataDir, 'webapp'));
}

/**
 * The lab shell: the user's shell in `<data>/lab`, with an `htcpcp` command
 * on PATH and $POT / $WEBAPP pointing at the taps, so
 * `htcpcp`, `curl $WEBAPP` and `nc ${POT%:*} ${POT#*:}` all go through them.
 */
export function shellSpec(config: RelayConfig, ports: ProgramPorts): SpawnSpec {
	const lab = path.join(config.dataDir, 'lab');
	const bin = path.join(lab, 'bin');
	fs.mkdirSync(bin, { recursive: true });
	const launcher = path.join(bin, 'htcpcp');
	// `--to "$POT"` comes first, so a --to the user types wins (the last one counts).
	const script = `#!/bin/sh\nexec ${tsxCommand('server/client/main.ts', [])} --to "$POT" "$@"\n`;
	if (!fs.existsSync(launcher) || fs.readFileSync(launcher, 'utf8') !== script) fs.writeFileSync(launcher, script, { mode: 0o755 });
	// `check-pot` runs the conformance battery against the pot behind its tap.
	const checker = path.join(bin, 'check-pot');
	const checkScript = `#!/bin/sh\nexec ${tsxCommand('server/check-pot/main.ts', [])} --to "$POT" "$@"\n`;
	if (!fs.existsSync(checker) || fs.readFileSync(checker, 'utf8') !== checkScript) fs.writeFileSync(checker, checkScript, { mode: 0o755 });
	const shell = process.env.SHELL && fs.existsSync(process.env.SHELL) ? process.env.SHELL : fs.existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
	const scheme = config.https ? 'https' : 'http';
	return {
		file: shell,
		args: [],
		cwd: lab,
		env: {
			...baseEnv(),
			PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
			POT: `${ports.tapHost}:${ports.potTap}`,
			WEBAPP: `${scheme}://${ports.tapHost}:${ports.webappTap}/`,
			HISTFILE: path.join(lab, '.shell_history')
		},
		display: shell
	};
}
