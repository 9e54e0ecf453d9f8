/**
 * `npm start`: runs the lab (pot, web app, a shell) behind taps and serves
 * the tutor. Errors the user can fix are one line and a non-zero exit;
 * Ctrl-C, SIGTERM and SIGHUP stop every program the relay started.
 */

import { spawn } from 'node:child_process';
import { parseConfig, UsageError, USAGE } from './config';
import { startRelay, StartError, type Relay } from './relay';

function fail(message: string, code = 2): never {
	process.stderr.write(`relay: ${message}\n`);
	process.exit(code);
}

function openBrowser(url: string): void {
	const [command, args] =
		process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
	try {
		const child = spawn(command, args, { stdio: 'ignore', detached: true });
		child.on('error', () => process.stderr.write(`relay: could not open a browser (${command} failed); open the address above yourself\n`));
		child.unref();
	} catch {
		process.stderr.write('relay: could not open a browser; open the address above yourself\n');
	}
}

let config;
try {
	config = parseConfig(process.argv.slice(2));
} catch (error) {
	if (error instanceof UsageError) fail(error.message);
	throw error;
}
if (config === 'help') {
	process.stdout.write(`${USAGE}\n`);
	process.exit(0);
}

const log = (line: string) => process.stderr.write(`${line}\n`);
let relay: Relay | null = null;
let stopping = false;

async function shutdown(reason: string, code: number): Promise<void> {
	if (stopping) return;
	stopping = true;
	log(`relay: ${reason}; stopping the programs…`);
	const force = setTimeout(() => {
		log('relay: shutdown took too long; exiting anyway');
		process.exit(code || 1);
	}, 10_000);
	force.unref();
	try {
		await relay?.close();
	} finally {
		log('relay: stopped');
		process.exit(code);
	}
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.on(signal, () => {
		if (stopping) {
			// A second Ctrl-C while stopping: the user really wants out.
			if (signal === 'SIGINT') process.exit(130);
			return;
		}
		void shutdown(`got ${signal}`, 0);
	});
}
process.on('uncaughtException', (error) => {
	log(`relay: internal error: ${error.message}`);
	void shutdown('an internal error', 1);
});

try {
	relay = await startRelay(config, log);
} catch (error) {
	if (error instanceof StartError) fail(error.message, 1);
	log(`relay: could not start: ${(error as Error).message}`);
	process.exit(1);
}
if (stopping) await new Promise(() => {});

const { ports } = relay;
process.stdout.write(
	[
		`Pot tap on ${ports.tapHost}:${ports.potTap} → the pot on 127.0.0.1:${ports.potPrivate}`,
		`Web app tap on ${config.https ? 'https' : 'http'}://${ports.tapHost}:${ports.webappTap}/ → the web app on 127.0.0.1:${ports.webappPrivate}`,
		...(config.shellNote ? [config.shellNote] : []),
		`Data in ${config.dataDir}`,
		`Tutor ready at ${relay.url}`,
		''
	].join('\n')
);
if (config.open) openBrowser(relay.url);
