/**
 * What the taps saw, on its way to the pages and to disk: every TrafficEvent
 * is spooled (for the pcapng download), sent to the pages as a `traffic`
 * message (bytes cut at MAX_EVENT_BYTES), and fed to the wire analysis,
 * whose parsed and annotated messages go out as `message` messages.
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
import { readSpool, Spool } from './spool';

/** Annotated messages a freshly opened page receives. */
const BACKLOG = 200;

export class Traffic {
	onMessage: (message: ServerMessage) => void = () => {};
	private readonly spool: Spool;
	private readonly live: Analysis;
	private readonly recent: TrafficMessage[] = [];
	private comments: string[] = [];

	constructor(dir: string) {
		this.spool = new Spool(dir);
		this.live = new Analysis((message) => {
			this.recent.push(message);
			if (this.recent.length > BACKLOG) this.recent.shift();
			this.onMessage(message);
		});
	}

	describe(ports: { potTap: number; webappTap: number }): void {
		this.comments = [`Lab taps: pot on port ${ports.potTap}, web app on port ${ports.webappTap}.`];
	}

	event(event: TrafficEvent): void {
		this.spool.append(event);
		this.onMessage(toWire(event));
		this.live.push(event);
	}

	backlog(): ServerMessage[] {
		return [...this.recent];
	}

	/** Streams everything spooled so far as one pcapng file. */
	async writeCapture(res: http.ServerResponse): Promise<void> {
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
