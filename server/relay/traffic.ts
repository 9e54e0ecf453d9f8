/**
 * What the taps saw, on its way to the pages and to disk: every TrafficEvent
 * is spooled (for the pcapng download), sent to the pages as a `traffic`
 * message (bytes cut at MAX_EVENT_BYTES), and fed to the wire analysis,
 * whose parsed and annotated messages go out as `message` messages.
 *
 * None of that happens while a tap forwards: events are queued and handled
 * together in one batch, which costs one spool write, one message to the
 * analysis worker and one socket write per page, however many chunks the
 * taps moved meanwhile. The first event after a quiet spell is handled on the
 * next event-loop turn (after that turn's I/O); under steady traffic batches
 * go out at most every FLUSH_MS, so the worker and the pages wake up a few
 * hundred times a second rather than once per chunk, leaving the CPU to the
 * processes whose bytes the tap carries.
 */

import type http from 'node:http';
import type { Endpoint, TrafficEvent } from '../../src/lib/protocol/analysis/events';
import { TrafficCaptureWriter } from '../../src/lib/protocol/capture/traffic-writer';
import {
	MAX_EVENT_BYTES,
	RELAY_PROTOCOL_VERSION,
	type ServerMessage,
	type TrafficEventMessage,
	type TrafficMessage
} from '../../src/lib/relay-protocol/index';
import { Analysis } from './analysis';
import { encodeRecords, readSpool, Spool } from './spool';

/** Annotated messages a freshly opened page receives. */
const BACKLOG = 200;
/** Least time between two batches under steady traffic (ms). */
const FLUSH_MS = 4;

export class Traffic {
	/** Messages for every page, in order; called at most a few times per event-loop turn. */
	onMessages: (messages: ServerMessage[]) => void = () => {};
	private readonly spool: Spool;
	private readonly live: Analysis;
	private readonly recent: TrafficMessage[] = [];
	private comments: string[] = [];
	private queue: TrafficEvent[] = [];
	private scheduled = false;
	private lastFlush = -Infinity;
	private readonly flushSoon = () => this.flush();

	constructor(dir: string) {
		this.spool = new Spool(dir);
		this.live = new Analysis((messages) => {
			this.recent.push(...messages);
			if (this.recent.length > BACKLOG) this.recent.splice(0, this.recent.length - BACKLOG);
			this.onMessages(messages);
		});
	}

	describe(ports: { potTap: number; webappTap: number }): void {
		this.comments = [`Lab taps: pot on port ${ports.potTap}, web app on port ${ports.webappTap}.`];
	}

	/** Called by the taps after they forwarded the bytes; cheap by design. */
	event(event: TrafficEvent): void {
		this.queue.push(event);
		if (this.scheduled) return;
		this.scheduled = true;
		const wait = this.lastFlush + FLUSH_MS - performance.now();
		if (wait <= 0) setImmediate(this.flushSoon);
		else setTimeout(this.flushSoon, wait);
	}

	/** Spools, broadcasts and analyses what queued up since the last turn. */
	private flush(): void {
		this.scheduled = false;
		const events = this.queue;
		if (events.length === 0) return;
		this.queue = [];
		this.lastFlush = performance.now();
		const records = encodeRecords(events);
		this.spool.appendRecords(records);
		this.onMessages(events.map(toWire));
		this.live.push(events, records);
	}

	backlog(): ServerMessage[] {
		return [...this.recent];
	}

	/** Streams everything spooled so far as one pcapng file. */
	async writeCapture(res: http.ServerResponse): Promise<void> {
		this.flush();
		const size = await this.spool.settle();
		const writer = new TrafficCaptureWriter({ comments: this.comments });
		const write = (bytes: Uint8Array) =>
			bytes.length === 0 || res.write(bytes) ? Promise.resolve() : new Promise<void>((resolve) => res.once('drain', resolve));
		await write(writer.header());
		for await (const event of readSpool(this.spool.file, size)) {
			if (res.destroyed) return;
			await write(writer.push(event));
		}
		res.end();
	}

	async close(): Promise<void> {
		this.flush();
		await this.live.close();
		await this.spool.close();
	}
}

function endpoint(e: Endpoint): Endpoint {
	return { address: e.address, port: e.port };
}

/** A TrafficEvent as the websocket carries it. */
export function toWire(event: TrafficEvent): TrafficEventMessage {
	const base = { conn: event.conn, timeUs: event.timeUs };
	switch (event.type) {
		case 'open':
			return {
				v: RELAY_PROTOCOL_VERSION,
				type: 'traffic',
				event: { kind: 'open', ...base, client: endpoint(event.client), server: endpoint(event.server), ...(event.label ? { label: event.label } : {}) }
			};
		case 'data': {
			const shown = event.bytes.subarray(0, MAX_EVENT_BYTES);
			return {
				v: RELAY_PROTOCOL_VERSION,
				type: 'traffic',
				event: { kind: 'data', ...base, from: event.from, bytes: Buffer.from(shown.buffer, shown.byteOffset, shown.length).toString('base64'), length: event.bytes.length }
			};
		}
		case 'end':
		case 'reset':
			return { v: RELAY_PROTOCOL_VERSION, type: 'traffic', event: { kind: event.type, ...base, from: event.from } };
		case 'close':
			return { v: RELAY_PROTOCOL_VERSION, type: 'traffic', event: { kind: 'close', ...base } };
	}
}
