/**
 * The relay's command line: flags, defaults and the one-line errors a user
 * sees when a flag is wrong. Parsing is pure (no side effects) so tests can
 * call it directly.
 */

import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { POT_PORT, WEBAPP_PORT } from '../../src/lib/protocol/index';

export const RELAY_PORT = 5050;

export interface RelayConfig {
	host: string;
	port: number;
	potPort: number;
	webappPort: number;
	/** Command template for the pot; `null` runs this project's pot. */
	potCmd: string | null;
	webappCmd: string | null;
	https: boolean;
	shell: boolean;
	/** Why the shell is off, when it is. */
	shellNote: string | null;
	open: boolean;
	dataDir: string;
	brewSeconds: number | null;
}

export class UsageError extends Error {}

export const USAGE = `Usage: npm start -- [options]
  --port N            the tutor's HTTP and websocket port (default ${RELAY_PORT})
  --host ADDR         address the tutor and the taps bind (default 127.0.0.1)
  --pot-port N        the pot's public (tapped) port (default ${POT_PORT})
  --webapp-port N     the web app's public (tapped) port (default ${WEBAPP_PORT})
  --pot-cmd "CMD"     run your own pot; {port} is replaced by the port it must listen on
  --webapp-cmd "CMD"  run your own web app; {port} as above, {pot} is the pot's HOST:PORT
  --https             serve the web app over TLS (passed on to the web app)
  --brew-seconds N    brew time for this project's pot
  --no-shell          no shell terminal
  --allow-shell       keep the shell terminal on a non-loopback --host
  --data DIR          where history and captures are kept
  --open              open the tutor in the default browser
  --help              this text`;

function portFlag(name: string, value: string | undefined, fallback: number): number {
	if (value === undefined) return fallback;
	if (!/^\d+$/.test(value) || Number(value) > 65535) {
		throw new UsageError(`--${name} must be a port number from 0 to 65535, not "${value}"`);
	}
	return Number(value);
}

export function isLoopback(host: string): boolean {
	return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The per-user data folder, following each platform's convention. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
	const home = os.homedir();
	if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'htcpcp-tutor');
	if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'htcpcp-tutor');
	const base = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(home, '.local', 'share');
	return path.join(base, 'htcpcp-tutor');
}

export function parseConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): RelayConfig | 'help' {
	let values;
	try {
		({ values } = parseArgs({
			args: argv,
			strict: true,
			allowPositionals: false,
			options: {
				port: { type: 'string' },
				host: { type: 'string' },
				'pot-port': { type: 'string' },
				'webapp-port': { type: 'string' },
				'pot-cmd': { type: 'string' },
				'webapp-cmd': { type: 'string' },
				https: { type: 'boolean' },
				'brew-seconds': { type: 'string' },
				'no-shell': { type: 'boolean' },
				'allow-shell': { type: 'boolean' },
				data: { type: 'string' },
				open: { type: 'boolean' },
				help: { type: 'boolean', short: 'h' }
			}
		}));
	} catch (error) {
		const text = (error as Error).message.split('\n')[0].replace(/\. To specify .*$/, '');
		throw new UsageError(`${text} (see --help)`);
	}
	if (values.help) return 'help';

	const host = values.host ?? '127.0.0.1';
	if (host.trim() === '') throw new UsageError('--host needs an address, e.g. --host 127.0.0.1');
	const config: RelayConfig = {
		host,
		port: portFlag('port', values.port, RELAY_PORT),
		potPort: portFlag('pot-port', values['pot-port'], POT_PORT),
		webappPort: portFlag('webapp-port', values['webapp-port'], WEBAPP_PORT),
		potCmd: values['pot-cmd'] ?? null,
		webappCmd: values['webapp-cmd'] ?? null,
		https: values.https ?? false,
		shell: true,
		shellNote: null,
		open: values.open ?? false,
		dataDir: path.resolve(values.data ?? defaultDataDir(env)),
		brewSeconds: null
	};
	for (const flag of ['pot-cmd', 'webapp-cmd'] as const) {
		// The placeholder is optional: the port also arrives as $PORT.
		if (values[flag]?.trim() === '') throw new UsageError(`--${flag} needs a command, e.g. --${flag} "python3 pot.py --port {port}"`);
	}
	if (values['brew-seconds'] !== undefined) {
		const n = Number(values['brew-seconds']);
		if (!Number.isFinite(n) || n <= 0 || n > 3600) {
			throw new UsageError(`--brew-seconds must be a number of seconds from 1 to 3600, not "${values['brew-seconds']}"`);
		}
		if (config.potCmd !== null) throw new UsageError('--brew-seconds only applies to this project\'s pot; drop it or set the time in your --pot-cmd');
		config.brewSeconds = n;
	}
	const ports = [
		['--port', config.port],
		['--pot-port', config.potPort],
		['--webapp-port', config.webappPort]
	] as const;
	for (let i = 0; i < ports.length; i++) {
		for (let j = i + 1; j < ports.length; j++) {
			if (ports[i][1] !== 0 && ports[i][1] === ports[j][1]) {
				throw new UsageError(`${ports[i][0]} and ${ports[j][0]} are both ${ports[i][1]}; give each its own port`);
			}
		}
	}
	if (values['no-shell']) {
		config.shell = false;
		config.shellNote = 'The shell terminal is off (--no-shell).';
	} else if (!isLoopback(host) && !values['allow-shell']) {
		config.shell = false;
		config.shellNote = `The shell terminal is off because --host ${host} is reachable from other machines; add --allow-shell to turn it on.`;
	}
	return config;
}
