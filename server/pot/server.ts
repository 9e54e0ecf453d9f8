/**
 * The pot server: a plain TCP server (HTCPCP runs over TCP like HTTP,
 * RFC 2324 section 1) that gives each socket a `PotConnection`, shares one
 * brew state between them, writes the history and logs every exchange.
 */

import net from 'node:net';
import type { ParserLimits } from '../../src/lib/protocol/index';
import { beanPicker } from './beans';
import { PotConnection } from './connection';
import { describeBrew, handleRequest } from './handler';
import { HistoryLog } from './history';
import { PotLog, type LogWrite } from './log';
import { PotState } from './state';

export interface PotServerOptions {
	dataDir: string;
	brewSeconds: number;
	seed?: number;
	stallMs?: number;
	idleMs?: number;
	bodyIdleMs?: number;
	limits?: Partial<ParserLimits>;
	/** Where the log goes; default stdout. */
	write?: LogWrite;
}

/**
 * Log output gathered during one turn of the event loop and written at once:
 * one write call per turn instead of one per line keeps logging cheap under load.
 */
function batchedStdout(): LogWrite {
	let pending: string[] = [];
	const flush = () => {
		const text = pending.join('');
		pending = [];
		process.stdout.write(text);
	};
	return (line) => {
		if (pending.length === 0) setImmediate(flush);
		pending.push(line);
	};
}

export interface PotServer {
	server: net.Server;
	pot: PotState;
	history: HistoryLog;
	close(): Promise<void>;
}

export function createPotServer(options: PotServerOptions): PotServer {
	const log = new PotLog(options.write ?? batchedStdout());
	const history = new HistoryLog(options.dataDir);
	const pot = new PotState({
		brewMs: options.brewSeconds * 1000,
		pickBean: beanPicker(options.seed),
		onEvent: (event) => {
			history.append(event);
			if (event.outcome === 'completed') {
				const brew = pot.brew;
				log.line(`${brew ? describeBrew(brew) : event.beverage} is ready in the ${event.pot} pot${brew?.withMilk ? '; pouring milk until WHEN' : ''}`);
			}
		}
	});

	// Brewing ends on its own: a timer applies it so the history gets its `completed` line.
	let brewTimer: ReturnType<typeof setTimeout> | null = null;
	const scheduleBrewEnd = () => {
		if (brewTimer) clearTimeout(brewTimer);
		brewTimer = null;
		const ms = pot.msUntilReady();
		if (ms !== null) brewTimer = setTimeout(scheduleBrewEnd, ms + 1);
	};

	const handle = (request: Parameters<typeof handleRequest>[0]) =>
		handleRequest(request, { pot, history: () => history.records(pot.brew?.id) });

	const sockets = new Set<net.Socket>();
	const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
		sockets.add(socket);
		const peer = `${socket.remoteAddress}:${socket.remotePort}`;
		log.connected(peer);
		const connection = new PotConnection(
			{
				write: (bytes) => socket.write(bytes),
				end: () => socket.end(),
				destroy: () => socket.destroy(),
				pause: () => socket.pause(),
				resume: () => socket.resume()
			},
			{
				handle,
				log,
				peer,
				stallMs: options.stallMs,
				idleMs: options.idleMs,
				bodyIdleMs: options.bodyIdleMs,
				limits: options.limits,
				afterRequest: scheduleBrewEnd
			}
		);
		socket.on('data', (chunk: Buffer) => connection.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length)));
		socket.on('end', () => connection.peerEnded());
		socket.on('drain', () => connection.drained());
		// A reset or a broken pipe concerns this client only.
		socket.on('error', () => socket.destroy());
		socket.on('close', () => {
			sockets.delete(socket);
			connection.close();
			log.closed(peer, connection.requests);
		});
	});

	return {
		server,
		pot,
		history,
		close: () =>
			new Promise((resolve) => {
				if (brewTimer) clearTimeout(brewTimer);
				for (const s of sockets) s.destroy();
				server.close(() => {
					history.close();
					resolve();
				});
			})
	};
}
