/**
 * Assembles the relay: the HTTP server and websocket hub, the two taps with
 * their traffic analysis, and the three terminals; and takes it all down
 * again in order. `main.ts` only handles the command line and signals.
 */

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { TerminalId } from '../../src/lib/relay-protocol/index';
import { RELAY_PROTOCOL_VERSION } from '../../src/lib/relay-protocol/index';
import { freeLoopbackPort, urlHost } from '../shared/ports';
import { ROOT_DIR } from '../shared/paths';
import { answerMessage, labRoutes, labStateMessage, processEvent } from '../lab/relay';
import { LabService } from '../lab/service';
import { startRelayRecording, type RelayRecording } from '../recording/relay-glue';
import { Auth, loadSessionKey } from './auth';
import type { RelayConfig } from './config';
import { createRoutes, loadSite } from './http';
import { potSpec, shellSpec, webappSpec, type ProgramPorts } from './programs';
import { Terminal } from './pty';
import { openTap, type Tap } from './tap';
import { Traffic } from './traffic';
import { Hub } from './ws';

/** A start-up failure the user can fix; `message` is the one line to print. */
export class StartError extends Error {}

export interface Relay {
	url: string;
	token: string;
	ports: ProgramPorts & { relay: number };
	close(): Promise<void>;
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number, what: string, flag: string): StartError {
	if (error.code === 'EADDRINUSE') return new StartError(`port ${port} is in use (${what}); stop whatever uses it or choose another with ${flag} N`);
	if (error.code === 'EACCES') return new StartError(`not allowed to listen on port ${port} (${what}); choose a port above 1023 with ${flag} N`);
	if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') return new StartError(`cannot listen on ${host}: this machine has no such address; fix --host`);
	return new StartError(`cannot listen on ${host}:${port} (${what}): ${error.message}`);
}

function listen(server: http.Server, host: string, port: number): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen({ host, port, exclusive: true }, () => {
			server.off('error', reject);
			resolve((server.address() as { port: number }).port);
		});
	});
}

export async function startRelay(config: RelayConfig, log: (line: string) => void): Promise<Relay> {
	try {
		fs.mkdirSync(config.dataDir, { recursive: true });
		fs.accessSync(config.dataDir, fs.constants.W_OK);
	} catch (error) {
		throw new StartError(`cannot use ${config.dataDir} for the relay's files (${(error as NodeJS.ErrnoException).code}); choose another folder with --data DIR`);
	}
	const cleanups: (() => Promise<void> | void)[] = [];
	const cleanup = async () => {
		for (const step of cleanups.reverse()) await step();
	};
	try {
		const auth = new Auth(config.port, urlHost(config.host), undefined, loadSessionKey(config.dataDir));
		const terminals = new Map<TerminalId, Terminal>();
		const traffic = new Traffic(path.join(config.dataDir, 'captures'));
		cleanups.push(() => traffic.close());
		// The lab engine: questions, checks and progress (kept under --data), fed from what the relay already sees.
		const lab = new LabService({ contentDir: path.join(ROOT_DIR, 'content'), dataDir: config.dataDir, log });
		cleanups.push(() => lab.close());
		// The session's recording (docs/recording.md) opens once the taps' ports are known; it closes last of all.
		let recording: RelayRecording | null = null;
		cleanups.unshift(() => recording?.close('the relay stopped'));
		// A "check my pot" run is recorded with every case, for the checkoff.
		const conformance = lab.onConformance.bind(lab);
		lab.onConformance = (run) => {
			conformance(run);
			recording?.onConformance(run);
		};

		let ports: ProgramPorts & { relay: number };
		const hub = new Hub({
			auth,
			terminals,
			hello: () => ({
				v: RELAY_PROTOCOL_VERSION,
				type: 'hello',
				terminals: [...terminals.values()].map((t) => t.status()),
				ports: { pot: ports.potTap, webapp: ports.webappTap, relay: ports.relay },
				https: config.https
			}),
			backlog: () => [...traffic.backlog(), labStateMessage(lab)],
			lab: (message) => {
				const result = answerMessage(lab, message);
				recording?.onAnswer(message, result);
				return result;
			},
			onInput: (id, data) => recording?.recorder?.onTerminalInput(id, data)
		});
		traffic.onMessages = (messages) => {
			hub.broadcastAll(messages);
			lab.onTraffic(messages);
			recording?.onMessages(messages);
		};
		lab.onState = (state) => {
			hub.broadcast(labStateMessage(lab));
			recording?.onLabState(state);
		};

		const site = await loadSite().catch((error: Error) => {
			log(`relay: the tutor site in build/ could not be loaded (${error.message}); serving the plain page`);
			return null;
		});
		const server = http.createServer(
			createRoutes({
				auth,
				site,
				capture: (res) => traffic.writeCapture(res),
				lab: labRoutes(lab, () => ({ host: '127.0.0.1', port: ports.potPrivate })),
				recordings: { handle: (req, res, url) => recording?.routes.handle(req, res, url) ?? false },
				status: () => ({
					terminals: [...terminals.values()].map((t) => t.status()),
					ports,
					clients: hub.count()
				})
			})
		);
		server.headersTimeout = 10_000;
		server.requestTimeout = 30_000;
		server.on('upgrade', (req, socket, head) => hub.upgrade(req, socket, head));
		server.on('clientError', (_error, socket) => socket.destroy());
		const relayPort = await listen(server, config.host, config.port).catch((e: NodeJS.ErrnoException) => {
			throw listenError(e, config.host, config.port, 'the tutor', '--port');
		});
		auth.listeningOn(relayPort);
		cleanups.push(
			() =>
				new Promise<void>((resolve) => {
					server.close(() => resolve());
					server.closeAllConnections();
				})
		);
		cleanups.push(() => hub.close());

		const [potPrivate, webappPrivate] = [await freeLoopbackPort(), await freeLoopbackPort()];
		let conn = 0;
		const nextConn = () => ++conn;
		const taps: Tap[] = [];
		cleanups.push(() => Promise.all(taps.map((t) => t.close())).then(() => undefined));
		const potTap = await openTap({
			host: config.host,
			port: config.potPort,
			upstreamPort: () => potPrivate,
			label: 'client → pot',
			nextConn,
			onEvent: (e) => {
				traffic.event(e);
				recording?.recorder?.onTraffic(e);
			}
		}).catch((e: NodeJS.ErrnoException) => {
			throw listenError(e, config.host, config.potPort, "the pot's tap", '--pot-port');
		});
		taps.push(potTap);
		const webappTap = await openTap({
			host: config.host,
			port: config.webappPort,
			upstreamPort: () => webappPrivate,
			label: 'browser → web app',
			nextConn,
			onEvent: (e) => {
				traffic.event(e);
				recording?.recorder?.onTraffic(e);
			}
		}).catch((e: NodeJS.ErrnoException) => {
			throw listenError(e, config.host, config.webappPort, "the web app's tap", '--webapp-port');
		});
		taps.push(webappTap);
		const tapHost = urlHost(config.host);
		ports = { potPrivate, webappPrivate, potTap: potTap.port, webappTap: webappTap.port, tapHost, relay: relayPort };
		traffic.describe(ports);
		recording = startRelayRecording({ dataDir: config.dataDir, ports: { pot: potTap.port, webapp: webappTap.port }, host: config.host, labState: lab.state(), log });

		const events = {
			data: (id: TerminalId, chunk: string) => {
				hub.terminalData(id, chunk);
				lab.onTerminalOutput(id, chunk);
				recording?.recorder?.onTerminalOutput(id, chunk);
			},
			status: (status: ReturnType<Terminal['status']>) => {
				hub.status(status);
				lab.onProcessEvent(processEvent(status));
				recording?.onStatus(status);
			},
			log
		};
		terminals.set('pot', new Terminal('pot', 'pot', potSpec(config, ports), events));
		terminals.set('webapp', new Terminal('webapp', 'web app', webappSpec(config, ports), events));
		terminals.set(
			'shell',
			new Terminal('shell', 'shell', config.shell ? shellSpec(config, ports) : null, events, config.shellNote ?? undefined)
		);
		// Programs stop first, before the taps and the server close under them.
		cleanups.push(() => Promise.all([...terminals.values()].map((t) => t.stop())).then(() => undefined));
		for (const terminal of terminals.values()) terminal.start();

		return {
			url: `http://${urlHost(config.host)}:${relayPort}/?token=${auth.token}`,
			token: auth.token,
			ports,
			close: cleanup
		};
	} catch (error) {
		await cleanup();
		throw error;
	}
}
