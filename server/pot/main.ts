/**
 * `npm run pot`: the lab's coffee pot server (HTCPCP, RFC 2324; tea, RFC 7168).
 * Flags are described in docs/pot.md and by `--help`.
 */

import path from 'node:path';
import { parseArgs } from 'node:util';
import { POT_PORT } from '../../src/lib/protocol/index';
import { createPotServer } from './server';

const USAGE = `Usage: npm run pot -- [--port N] [--local] [--data DIR] [--brew-seconds N] [--seed N] [--stall-ms N]

  --port N          TCP port to listen on (default ${POT_PORT}; 0 picks a free one)
  --local           listen on 127.0.0.1 only (default: all interfaces)
  --data DIR        directory for the brew history (default ./pot-data)
  --brew-seconds N  how long a brew takes (default 30)
  --seed N          seed for the bean picker (default: env POT_SEED, else random)
  --stall-ms N      408 after a request stalls this long (default: env POT_STALL_MS, else 10000)
  --help            show this help`;

/** One line on stderr; exit 2 for a bad flag, 1 when the pot cannot run. */
function fail(message: string, code = 2): never {
	process.stderr.write(`pot: ${message}\n`);
	process.exit(code);
}

function integer(name: string, raw: string, min: number, max: number): number {
	const value = Number(raw);
	if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
		fail(`--${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
	}
	return value;
}

let values;
try {
	({ values } = parseArgs({
		options: {
			port: { type: 'string' },
			local: { type: 'boolean' },
			data: { type: 'string' },
			'brew-seconds': { type: 'string' },
			seed: { type: 'string' },
			'stall-ms': { type: 'string' },
			help: { type: 'boolean', short: 'h' }
		},
		strict: true,
		allowPositionals: false
	}));
} catch (e) {
	fail(`${(e as Error).message.split('\n')[0]} (see --help)`);
}

if (values.help) {
	process.stdout.write(USAGE + '\n');
	process.exit(0);
}

const port = values.port === undefined ? POT_PORT : integer('port', values.port, 0, 65535);
const host = values.local ? '127.0.0.1' : '0.0.0.0';
const dataDir = path.resolve(values.data ?? 'pot-data');
let brewSeconds = 30;
if (values['brew-seconds'] !== undefined) {
	brewSeconds = Number(values['brew-seconds']);
	if (values['brew-seconds'].trim() === '' || !Number.isFinite(brewSeconds) || brewSeconds < 0 || brewSeconds > 86400) {
		fail(`--brew-seconds must be a number of seconds from 0 to 86400, not "${values['brew-seconds']}"`);
	}
}
const seedRaw = values.seed ?? process.env.POT_SEED;
const seed = seedRaw === undefined ? undefined : integer('seed (or POT_SEED)', seedRaw, 0, 2 ** 32 - 1);
const stallRaw = values['stall-ms'] ?? process.env.POT_STALL_MS;
const stallMs = stallRaw === undefined ? undefined : integer('stall-ms (or POT_STALL_MS)', stallRaw, 1, 3_600_000);

let pot: ReturnType<typeof createPotServer>;
try {
	pot = createPotServer({ dataDir, brewSeconds, seed, stallMs });
} catch (e) {
	const err = e as NodeJS.ErrnoException;
	fail(`cannot use the data directory ${dataDir} (${err.code ?? err.message}); choose another with --data DIR`, 1);
}

pot.server.on('error', (err: NodeJS.ErrnoException) => {
	if (err.code === 'EADDRINUSE') fail(`port ${port} is already in use on ${host}; choose another with --port N`, 1);
	if (err.code === 'EACCES') fail(`no permission to listen on port ${port}; choose a port above 1023 with --port N`, 1);
	if (err.code === 'EADDRNOTAVAIL') fail(`cannot listen on ${host}; try --local`, 1);
	fail(`the server failed: ${err.message}`, 1);
});

pot.server.listen({ port, host }, () => {
	const address = pot.server.address();
	const real = typeof address === 'object' && address ? address.port : port;
	process.stdout.write(`Listening for connections on ${host}:${real}\n`);
	process.stdout.write(`Pots: ducky (coffee, coffee://ducky) and tea (Use-Pot: tea); brew time ${brewSeconds} s; history in ${pot.history.file}\n`);
});

const shutdown = () => {
	void pot.close().then(() => process.exit(0));
	setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
