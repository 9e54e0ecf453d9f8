/**
 * The page's one websocket to the relay. It reconnects after the relay goes
 * away (backing off up to a few seconds), keeps each terminal's output since
 * the last `hello` so a terminal mounted later (or after navigation) shows the
 * same scroll-back, and feeds traffic events to the live analysis.
 *
 * Every frame from the relay is validated with the shared relay protocol
 * before anything looks at it.
 */

import {
	parseServerMessage,
	RELAY_PROTOCOL_VERSION,
	TERMINAL_IDS,
	type ClientMessage,
	type LabAnswer,
	type LabResult,
	type LabStateMessage,
	type ServerMessage,
	type TerminalId,
	type TerminalStatus
} from '$lib/relay-protocol';
import { LiveTraffic } from './live.svelte';

type Hello = Extract<ServerMessage, { type: 'hello' }>;
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'closed';

/** Characters of output kept per terminal for components that mount later. */
const KEEP_CHARS = 256 * 1024;
const MAX_BACKOFF_MS = 4000;

export interface TerminalSink {
	/** The relay said hello again: forget what was shown, a replay follows. */
	reset(): void;
	write(data: string): void;
}

type TerminalBuffers = Record<TerminalId, string>;

function emptyBuffers(): TerminalBuffers {
	return Object.fromEntries(TERMINAL_IDS.map((id) => [id, ''])) as TerminalBuffers;
}

export class RelayClient {
	state = $state<ConnectionState>('idle');
	hello = $state<Hello | null>(null);
	terminals = $state<Partial<Record<TerminalId, TerminalStatus>>>({});
	/** The last error the relay reported, or why the socket closed. */
	problem = $state<string | null>(null);
	readonly live = new LiveTraffic();

	private socket: WebSocket | null = null;
	private buffers = emptyBuffers();
	private sinks = new Map<TerminalId, Set<TerminalSink>>();
	private backoff = 250;
	private timer: ReturnType<typeof setTimeout> | null = null;
	private outbox: string[] = [];
	private labListeners = new Set<(message: LabStateMessage | LabResult) => void>();

	/** Opens the socket once; later calls do nothing. */
	start(): void {
		if (this.state !== 'idle' || typeof WebSocket === 'undefined') return;
		this.open();
	}

	send(message: ClientMessage): void {
		const text = JSON.stringify(message);
		if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(text);
		else if (message.type !== 'term-resize') this.outbox.push(text);
	}

	/** Sends an answer to grade (the reply comes as `lab-result`). */
	sendAnswer(message: LabAnswer): void {
		const text = JSON.stringify(message);
		if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(text);
		else this.outbox.push(text);
	}

	/** Listens for the lab's progress and answer results. */
	onLab(listener: (message: LabStateMessage | LabResult) => void): () => void {
		this.labListeners.add(listener);
		return () => this.labListeners.delete(listener);
	}

	input(id: TerminalId, data: string): void {
		this.send({ v: RELAY_PROTOCOL_VERSION, type: 'term-input', id, data });
	}

	resize(id: TerminalId, cols: number, rows: number): void {
		this.send({ v: RELAY_PROTOCOL_VERSION, type: 'term-resize', id, cols, rows });
	}

	restart(id: TerminalId): void {
		this.send({ v: RELAY_PROTOCOL_VERSION, type: 'term-restart', id });
	}

	/** Attaches a terminal view: it gets the output so far, then every new chunk. */
	attach(id: TerminalId, sink: TerminalSink): () => void {
		let set = this.sinks.get(id);
		if (!set) this.sinks.set(id, (set = new Set()));
		set.add(sink);
		if (this.buffers[id]) sink.write(this.buffers[id]);
		return () => set.delete(sink);
	}

	/** The web app's address as the browser reaches it (through the relay's tap). */
	coffeeUrl(path = '/'): string | null {
		const hello = this.hello;
		if (!hello || typeof location === 'undefined') return null;
		const host = location.hostname.includes(':') ? `[${location.hostname}]` : location.hostname;
		return `${hello.https ? 'https' : 'http'}://${host}:${hello.ports.webapp}${path.startsWith('/') ? path : `/${path}`}`;
	}

	private open(): void {
		this.state = 'connecting';
		const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
		const socket = new WebSocket(`${scheme}//${location.host}/ws`);
		this.socket = socket;
		socket.onopen = () => {
			this.state = 'open';
			this.problem = null;
			this.backoff = 250;
			for (const text of this.outbox.splice(0)) socket.send(text);
		};
		socket.onmessage = (event) => {
			if (typeof event.data !== 'string') return;
			const parsed = parseServerMessage(event.data);
			if (!parsed.ok) {
				this.problem = `The relay sent a message this page cannot read (${parsed.error}); reload the page.`;
				return;
			}
			this.handle(parsed.message);
		};
		socket.onclose = (event) => {
			if (this.socket !== socket) return;
			this.socket = null;
			this.state = 'closed';
			this.problem =
				event.code === 1006 || event.code === 1001
					? 'Lost the connection to the relay; trying again… (if it was restarted, open the new link it printed)'
					: `The relay closed the connection (${event.code}${event.reason ? `: ${event.reason}` : ''}); trying again…`;
			this.timer = setTimeout(() => this.open(), this.backoff);
			this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
		};
	}

	private handle(message: ServerMessage): void {
		switch (message.type) {
			case 'hello':
				this.hello = message;
				this.buffers = emptyBuffers();
				for (const set of this.sinks.values()) for (const sink of set) sink.reset();
				this.terminals = Object.fromEntries(message.terminals.map((t) => [t.id, t]));
				this.live.reset({ pot: message.ports.pot, webapp: message.ports.webapp });
				break;
			case 'term-status':
				this.terminals = { ...this.terminals, [message.id]: message };
				break;
			case 'term-data': {
				const kept = this.buffers[message.id] + message.data;
				this.buffers[message.id] = kept.length > KEEP_CHARS ? kept.slice(kept.length - KEEP_CHARS) : kept;
				for (const sink of this.sinks.get(message.id) ?? []) sink.write(message.data);
				break;
			}
			case 'batch':
				for (const inner of message.messages) this.handle(inner);
				break;
			case 'traffic':
				this.live.push(message);
				break;
			case 'message':
				// The relay's own annotated copy; this page analyses the raw events itself.
				break;
			case 'lab-state':
			case 'lab-result':
				for (const listener of this.labListeners) listener(message);
				break;
			case 'error':
				this.problem = `Relay: ${message.message}`;
				break;
		}
	}
}

let client: RelayClient | null = null;

/** The page's relay connection (created on first use, in the browser only). */
export function relay(): RelayClient {
	client ??= new RelayClient();
	return client;
}
