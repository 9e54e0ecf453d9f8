/** The web app's command line. Every mistake becomes one `FlagError` line. */

import { WEBAPP_PORT, POT_PORT } from '../../src/lib/protocol/index';
import type { PotAddress } from '../client/exchange';

export interface WebappFlags {
	port: number;
	/** Bind 127.0.0.1 only. */
	local: boolean;
	pot: PotAddress;
	potTimeoutMs: number;
	https: boolean;
	cert?: string;
	key?: string;
	help: boolean;
}

export class FlagError extends Error {}

export const USAGE = `Usage: npm run webapp -- [options]

  --port N           port to serve on (default ${WEBAPP_PORT}; 0 picks a free one)
  --local            listen on 127.0.0.1 only (default: all interfaces)
  --pot HOST:PORT    where the pot listens (default 127.0.0.1:${POT_PORT})
  --pot-timeout MS   how long to wait for the pot before a 504 page (default 5000)
  --https            serve HTTPS with a self-signed certificate made at start
  --cert FILE        serve HTTPS with this PEM certificate (needs --key)
  --key FILE         the PEM private key of --cert
  --help             show this help`;

function parsePort(value: string, flag: string): number {
	if (!/^\d+$/.test(value) || Number(value) > 65535) throw new FlagError(`${flag} needs a port number from 0 to 65535, not "${value}"`);
	return Number(value);
}

/** `HOST:PORT`, `[v6]:PORT` or a bare `PORT` (host 127.0.0.1). */
export function parsePotAddress(value: string): PotAddress {
	const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(value);
	const plain = /^([^:\s]+):(\d+)$/.exec(value);
	const match = bracketed ?? plain;
	if (match) {
		const port = parsePort(match[2], '--pot');
		if (port === 0) throw new FlagError('--pot needs the port the pot listens on, not 0');
		return { host: match[1], port };
	}
	if (/^\d+$/.test(value)) return { host: '127.0.0.1', port: parsePort(value, '--pot') };
	throw new FlagError(`--pot needs HOST:PORT, such as 127.0.0.1:${POT_PORT}, not "${value}"`);
}

export function parseFlags(argv: readonly string[]): WebappFlags {
	const flags: WebappFlags = {
		port: WEBAPP_PORT,
		local: false,
		pot: { host: '127.0.0.1', port: POT_PORT },
		potTimeoutMs: 5000,
		https: false,
		help: false
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const eq = arg.indexOf('=');
		const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
		const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
		const value = (): string => {
			if (inline !== undefined) return inline;
			const next = argv[i + 1];
			if (next === undefined || next.startsWith('--')) throw new FlagError(`${name} needs a value (see --help)`);
			i++;
			return next;
		};
		switch (name) {
			case '--port':
				flags.port = parsePort(value(), '--port');
				break;
			case '--local':
				flags.local = true;
				break;
			case '--pot':
				flags.pot = parsePotAddress(value());
				break;
			case '--pot-timeout': {
				const v = value();
				if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 600_000) throw new FlagError(`--pot-timeout needs milliseconds from 1 to 600000, not "${v}"`);
				flags.potTimeoutMs = Number(v);
				break;
			}
			case '--https':
				flags.https = true;
				break;
			case '--cert':
				flags.cert = value();
				break;
			case '--key':
				flags.key = value();
				break;
			case '--help':
			case '-h':
				flags.help = true;
				break;
			default:
				throw new FlagError(`unknown option "${arg}" (see --help for the options)`);
		}
	}
	if ((flags.cert === undefined) !== (flags.key === undefined)) {
		throw new FlagError(flags.cert === undefined ? '--key needs --cert FILE as well' : '--cert needs --key FILE as well');
	}
	if (flags.cert !== undefined) flags.https = true;
	return flags;
}
