/**
 * The websocket side of the relay: the handshake checks (token, Origin), one
 * session per page, schema validation of everything a page sends, and the
 * fan-out of terminal output, traffic and status to every page.
 *
 * Flow control for terminals: each page counts, per terminal, the bytes
 * handed to its socket that have not been written out yet. While any page is
 * more than `HIGH_WATER` behind on a terminal, that terminal's pty is held
 * (the program blocks on its own output); other terminals keep flowing.
 */

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
	MAX_CLIENT_FRAME_BYTES,
	MAX_TERMINAL_CHUNK,
	parseClientMessage,
	RELAY_PROTOCOL_VERSION,
	type ClientMessage,
	type LabAnswer,
	type ServerMessage,
	type TerminalId
} from '../../src/lib/relay-protocol/index';
import type { Auth } from './auth';
import { framesFor } from './frames';
import type { Terminal } from './pty';

const HIGH_WATER = 256 * 1024;
const LOW_WATER = 64 * 1024;
/** A page this far behind on everything else (traffic, status) is dropped rather than buffered for. */
const MAX_BEHIND = 16 * 1024 * 1024;
const PING_MS = 30_000;

interface Session {
	socket: WebSocket;
	/** The TCP socket under `socket`: corked while a batch of frames is queued, so the batch leaves in one write. */
	raw: Duplex;
	/** Terminal id → characters queued on the socket but not yet written. */
	inflight: Map<TerminalId, number>;
	alive: boolean;
}

export interface HubOptions {
	auth: Auth;
	terminals: Map<TerminalId, Terminal>;
	hello: () => ServerMessage;
	/** Messages a fresh page should see first (e.g. recent annotated traffic). */
	backlog: () => ServerMessage[];
	/** Grades a page's answer (the lab engine); the reply goes back to that page only. */
	lab?: (message: LabAnswer) => ServerMessage;
	/** What the student typed into a terminal (for the session's recording). */
	onInput?: (id: TerminalId, data: string) => void;
}

export class Hub {
	private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES, perMessageDeflate: false });
	private readonly sessions = new Set<Session>();
	private readonly options: HubOptions;
	private readonly pinger: NodeJS.Timeout;

	constructor(options: HubOptions) {
		this.options = options;
		this.pinger = setInterval(() => this.ping(), PING_MS);
		this.pinger.unref();
	}

	/** Handles an HTTP upgrade; refusals get a real HTTP status line. */
	upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
		const path = new URL(req.url ?? '/', 'http://relay').pathname;
		if (path !== '/ws') return refuse(socket, 404, 'Not Found', 'the websocket is at /ws');
		if (!this.options.auth.allowed(req)) return refuse(socket, 401, 'Unauthorized', 'open the tutor with the link the relay printed (it carries the token)');
		if (!this.options.auth.originAllowed(req)) return refuse(socket, 403, 'Forbidden', 'this page is not served by the relay (Origin mismatch)');
		this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, socket));
	}

	count(): number {
		return this.sessions.size;
	}

	broadcast(message: ServerMessage): void {
		this.broadcastAll([message]);
	}

	/**
	 * Sends messages to every page. Runs of traffic messages go as `batch`
	 * frames (one frame, not one per event: a frame costs a socket write and
	 * its framing, which under steady traffic sat between the tap and the
	 * next chunk it forwards); everything else goes as its own frame.
	 */
	broadcastAll(messages: readonly ServerMessage[]): void {
		if (this.sessions.size === 0 || messages.length === 0) return;
		const frames = framesFor(messages);
		for (const session of this.sessions) {
			if (session.socket.bufferedAmount > MAX_BEHIND) {
				session.socket.close(1013, 'too far behind; reload the page');
				session.socket.terminate();
				continue;
			}
			if (frames.length === 1) {
				session.socket.send(frames[0]);
				continue;
			}
			session.raw.cork();
			for (const frame of frames) session.socket.send(frame);
			session.raw.uncork();
		}
	}

	/** Sends a terminal's output to every page, holding the pty while a page is behind. */
	terminalData(id: TerminalId, data: string): void {
		for (const session of this.sessions) this.sendTerminal(session, id, data, false);
		this.updateHold(id);
	}

	/** A terminal's status changed: tell every page. */
	status(message: ServerMessage): void {
		this.broadcast(message);
	}

	close(): Promise<void> {
		clearInterval(this.pinger);
		for (const session of this.sessions) session.socket.close(1001, 'the relay is shutting down');
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				for (const session of this.sessions) session.socket.terminate();
			}, 500);
			this.wss.close(() => {
				clearTimeout(timer);
				resolve();
			});
			if (this.sessions.size === 0) {
				clearTimeout(timer);
				resolve();
			}
		});
	}

	private attach(socket: WebSocket, raw: Duplex): void {
		const session: Session = { socket, raw, inflight: new Map(), alive: true };
		this.sessions.add(session);
		socket.on('pong', () => (session.alive = true));
		socket.on('error', () => socket.terminate());
		socket.on('close', () => {
			this.sessions.delete(session);
			for (const id of this.options.terminals.keys()) this.updateHold(id);
		});
		socket.on('message', (data, isBinary) => {
			if (isBinary) return this.error(session, 'invalid-message', 'send JSON text frames, not binary');
			const parsed = parseClientMessage(data.toString());
			if (!parsed.ok) return this.error(session, parsed.code, parsed.error);
			this.handle(session, parsed.message);
		});
		this.welcome(session);
	}

	private welcome(session: Session): void {
		session.socket.send(JSON.stringify(this.options.hello()));
		for (const [id, terminal] of this.options.terminals) {
			const history = terminal.history();
			if (history) this.sendTerminal(session, id, history, true);
		}
		for (const message of this.options.backlog()) session.socket.send(JSON.stringify(message));
	}

	private handle(session: Session, message: ClientMessage): void {
		if (message.type === 'sync') return this.welcome(session);
		if (message.type === 'lab-answer') {
			if (!this.options.lab) return this.error(session, 'lab-unavailable', 'this relay does not run the lab engine');
			session.socket.send(JSON.stringify(this.options.lab(message)));
			return;
		}
		const terminal = this.options.terminals.get(message.id);
		if (!terminal) return this.error(session, 'unknown-terminal', `there is no ${message.id} terminal`);
		if (terminal.status().state === 'off') return this.error(session, 'terminal-off', terminal.status().note ?? `the ${message.id} terminal is off`);
		switch (message.type) {
			case 'term-input':
				terminal.write(message.data);
				this.options.onInput?.(message.id, message.data);
				break;
			case 'term-resize':
				terminal.resize(message.cols, message.rows);
				break;
			case 'term-restart':
				void terminal.restart();
				break;
		}
	}

	private sendTerminal(session: Session, id: TerminalId, data: string, replay: boolean): void {
		for (let at = 0; at < data.length; at += MAX_TERMINAL_CHUNK) {
			const slice = data.slice(at, at + MAX_TERMINAL_CHUNK);
			const text = JSON.stringify({ v: RELAY_PROTOCOL_VERSION, type: 'term-data', id, data: slice, ...(replay ? { replay } : {}) });
			session.inflight.set(id, (session.inflight.get(id) ?? 0) + text.length);
			session.socket.send(text, () => {
				session.inflight.set(id, (session.inflight.get(id) ?? 0) - text.length);
				this.updateHold(id);
			});
		}
	}

	private updateHold(id: TerminalId): void {
		const terminal = this.options.terminals.get(id);
		if (!terminal) return;
		let worst = 0;
		for (const session of this.sessions) worst = Math.max(worst, session.inflight.get(id) ?? 0);
		if (!terminal.isHeld() && worst > HIGH_WATER) terminal.hold(true);
		else if (terminal.isHeld() && worst < LOW_WATER) terminal.hold(false);
	}

	private error(session: Session, code: 'invalid-json' | 'invalid-message' | 'unknown-terminal' | 'terminal-off' | 'lab-unavailable', message: string): void {
		session.socket.send(JSON.stringify({ v: RELAY_PROTOCOL_VERSION, type: 'error', code, message }));
	}

	private ping(): void {
		for (const session of this.sessions) {
			if (!session.alive) {
				session.socket.terminate();
				continue;
			}
			session.alive = false;
			session.socket.ping();
		}
	}
}

function refuse(socket: Duplex, status: number, reason: string, why: string): void {
	const body = `${status} ${reason}: ${why}\n`;
	socket.end(
		`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
	);
	setTimeout(() => socket.destroy(), 1000).unref();
}
