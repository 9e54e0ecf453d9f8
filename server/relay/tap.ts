/**
 * The tap: a TCP proxy on a lab port. Clients connect to the public port; the
 * tap connects to the real program on a private loopback port and copies
 * bytes both ways unchanged, with half-close (a FIN becomes `end()`) and
 * reset (an RST becomes `resetAndDestroy()`) carried across. Every connection
 * is reported as `TrafficEvent`s in the order things happened on the wire.
 */

import net from 'node:net';
import type { Side, TrafficEvent } from '../../src/lib/protocol/analysis/events';
import { nowUs } from '../shared/clock';

export interface TapOptions {
	/** Public address and port clients connect to. */
	host: string;
	port: number;
	/** The real program, on loopback. */
	upstreamPort: () => number;
	/** What to call connections through this tap, e.g. "web app → pot". */
	label: string;
	/** Shared connection counter so ids are unique across all taps. */
	nextConn: () => number;
	onEvent: (event: TrafficEvent) => void;
}

export interface Tap {
	port: number;
	close(): Promise<void>;
	/** Open sockets, both sides counted. */
	sockets(): number;
}

export function openTap(options: TapOptions): Promise<Tap> {
	const live = new Set<net.Socket>();
	const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true }, (client) => {
		live.add(client);
		client.once('close', () => live.delete(client));
		bridge(client, options, live);
	});
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen({ host: options.host, port: options.port, exclusive: true }, () => {
			server.off('error', reject);
			server.on('error', () => {
				/* accept errors (EMFILE) must not end the relay */
			});
			const address = server.address() as net.AddressInfo;
			resolve({
				port: address.port,
				sockets: () => live.size,
				close: () =>
					new Promise<void>((done) => {
						server.close(() => done());
						for (const socket of live) socket.destroy();
					})
			});
		});
	});
}

function bridge(client: net.Socket, options: TapOptions, live: Set<net.Socket>): void {
	const conn = options.nextConn();
	const emit = options.onEvent;
	const upstream = net.connect({ host: '127.0.0.1', port: options.upstreamPort(), allowHalfOpen: true, noDelay: true });
	live.add(upstream);
	upstream.once('close', () => live.delete(upstream));
	upstream.pause();
	client.on('error', () => {
		/* before the upstream connects; afterwards `pipe` reports errors */
	});
	client.once('close', () => {
		if (!opened) upstream.destroy();
	});
	let opened = false;
	let closedCount = 0;
	let finished = false;

	const open = () => {
		if (opened) return;
		opened = true;
		emit({
			type: 'open',
			conn,
			timeUs: nowUs(),
			label: options.label,
			client: { address: plain(client.remoteAddress), port: client.remotePort ?? 0 },
			server: { address: plain(client.localAddress), port: client.localPort ?? 0 }
		});
	};
	const finish = () => {
		if (finished) return;
		finished = true;
		open();
		emit({ type: 'close', conn, timeUs: nowUs() });
	};
	const onClosed = () => {
		closedCount += 1;
		if (closedCount === 2) finish();
	};

	/** Copies one direction, pausing the reader while the writer's buffer is full. */
	const pipe = (from: net.Socket, to: net.Socket, side: Side) => {
		let ended = false;
		let reset = false;
		from.on('data', (chunk: Buffer) => {
			const timeUs = nowUs();
			// Forward first, report second: the analysis never delays the bytes.
			if (!to.destroyed && !to.write(chunk)) {
				from.pause();
				to.once('drain', () => from.resume());
			}
			// The chunk itself (a Buffer is a Uint8Array): it is copied once, when the turn's events are packed.
			emit({ type: 'data', conn, timeUs, from: side, bytes: chunk });
		});
		from.on('end', () => {
			ended = true;
			emit({ type: 'end', conn, timeUs: nowUs(), from: side });
			if (!to.destroyed) to.end();
		});
		from.on('error', (error: NodeJS.ErrnoException) => {
			if (ended || reset) return;
			reset = true;
			// ECONNRESET: this side's peer sent an RST. Any other socket error ends the
			// connection just as abruptly, so it is carried across the same way.
			void error;
			emit({ type: 'reset', conn, timeUs: nowUs(), from: side });
			if (!to.destroyed) to.resetAndDestroy();
		});
		from.on('close', () => {
			// Closed without a FIN or an error of its own (we destroyed it because
			// the other side reset): nothing new to report, just make sure both go.
			if (!to.destroyed && !ended && !reset) to.resetAndDestroy();
			onClosed();
		});
	};

	upstream.once('connect', () => {
		open();
		pipe(client, upstream, 'client');
		pipe(upstream, client, 'server');
		client.resume();
		upstream.resume();
	});
	upstream.once('error', () => {
		if (opened || finished) return;
		// The program behind the tap is not listening (not started yet, or crashed):
		// the client sees a reset, as it would if nothing listened on the port.
		open();
		emit({ type: 'reset', conn, timeUs: nowUs(), from: 'server' });
		client.resetAndDestroy();
		upstream.destroy();
		finished = true;
		emit({ type: 'close', conn, timeUs: nowUs() });
	});
}

/** `::ffff:127.0.0.1` → `127.0.0.1`, so addresses read the way the lab writes them. */
function plain(address: string | undefined): string {
	if (!address) return '';
	return address.startsWith('::ffff:') ? address.slice(7) : address;
}
