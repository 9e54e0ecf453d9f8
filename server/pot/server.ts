/**
 * The pot server: a plain TCP server (HTCPCP runs over TCP like HTTP,
 * RFC 2324 section 1) that gives each socket a `PotConnection`, shares one
 * brew state between them, writes the history and logs every exchange.
 */

import net from 'node:net';
import type { ParserLimits } from '../../src/lib/protocol/index';
import { beanPicker } from './beans';
import { PotConnection, type ConnectionOptions, type Transport } from './connection';
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

/** How long log lines may wait to be written together (ms): well under what a reader notices. */
const LOG_FLUSH_MS = 10;

/**
 * Log output gathered for up to LOG_FLUSH_MS and written with one call: under
 * load that is one write for dozens of requests instead of several per request.
 * Whatever is pending is written when the process exits.
 */
function batchedStdout(): LogWrite {
	let pending: string[] = [];
	let timer: ReturnType<typeof setTimeout> | null = null;
	const flush = () => {
		timer = null;
		if (pending.length === 0) return;
		const text = pending.join('');
		pending = [];
		process.stdout.write(text);
	};
	process.on('exit', flush);
	return (line) => {
		pending.push(line);
		if (timer === null) timer = setTimeout(flush, LOG_FLUSH_MS);
	};
}

/** A TCP socket as a connection's transport (a class, so no closures are made per connection). */
class SocketTransport implements Transport {
	constructor(private readonly socket: net.Socket) {}
	write(bytes: Uint8Array): boolean {
		return this.socket.write(bytes);
	}
	end(): void {
		this.socket.end();
	}
	destroy(): void {
		this.socket.destroy();
	}
	pause(): void {
		this.socket.pause();
	}
	resume(): void {
		this.socket.resume();
	}
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

	const context = { pot, history: () => history.records(pot.brew?.id) };
	const handle = (request: Parameters<typeof handleRequest>[0]) => handleRequest(request, context);

	const connectionOptions: Omit<ConnectionOptions, 'peer'> = {
		handle,
		log,
		stallMs: options.stallMs,
		idleMs: options.idleMs,
		bodyIdleMs: options.bodyIdleMs,
		limits: options.limits,
		afterRequest: scheduleBrewEnd
	};
	const sockets = new Set<net.Socket>();
	const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
		sockets.add(socket);
		const peer = `${socket.remoteAddress}:${socket.remotePort}`;
		log.connected(peer);
		const connection = new PotConnection(new SocketTransport(socket), { ...connectionOptions, peer });
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
