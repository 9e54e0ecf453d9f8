/**
 * Test helper: a small lab session as the relay would see it. TrafficEvents
 * (real HTTP and HTCPCP bytes) go through the relay's own analysis
 * (server/relay/live.ts) and wire encoding (traffic.ts), and the resulting
 * messages feed a SnapshotBuilder, exactly as the relay feeds the lab.
 */

import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';
import { SnapshotBuilder } from '../../src/lib/lab/snapshot';
import type { ServerMessage } from '../../src/lib/relay-protocol/index';
import { LiveMessages } from '../../server/relay/live';
import { toWire } from '../../server/relay/traffic';

const enc = new TextEncoder();

export class Session {
	readonly out: ServerMessage[] = [];
	private readonly live = new LiveMessages((m) => this.out.push(m));
	private conn = 0;
	private time = 1_700_000_000_000_000;

	private push(e: TrafficEvent): void {
		this.out.push(toWire(e));
		this.live.push(e);
	}

	open(hop: 'browser-webapp' | 'webapp-pot', clientPort: number): number {
		const conn = ++this.conn;
		const server = hop === 'browser-webapp' ? 5031 : 5030;
		const label = hop === 'browser-webapp' ? 'browser → web app' : 'client → pot';
		this.push({ type: 'open', conn, timeUs: (this.time += 1000), client: { address: '127.0.0.1', port: clientPort }, server: { address: '127.0.0.1', port: server }, label });
		return conn;
	}

	send(conn: number, from: 'client' | 'server', text: string): void {
		this.push({ type: 'data', conn, timeUs: (this.time += 1000), from, bytes: enc.encode(text) });
	}

	close(conn: number): void {
		this.push({ type: 'end', conn, timeUs: (this.time += 1000), from: 'client' });
		this.push({ type: 'end', conn, timeUs: (this.time += 1000), from: 'server' });
		this.push({ type: 'close', conn, timeUs: (this.time += 1000) });
	}

	/** One HTCPCP exchange from the web app to the pot on a fresh connection. */
	potExchange(clientPort: number, request: string, status: number, reason: string, body = '{}'): void {
		const c = this.open('webapp-pot', clientPort);
		this.send(c, 'client', request);
		this.send(c, 'server', `HTCPCP/1.1 ${status} ${reason}\r\nServer: CoffeePot\r\nContent-Type: message/coffeepot\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
		this.close(c);
	}

	snapshot(builder = new SnapshotBuilder()): SnapshotBuilder {
		builder.traffic(this.out);
		return builder;
	}
}

export function httpGet(target: string): string {
	return `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:5031\r\nConnection: keep-alive\r\n\r\n`;
}

export function httpResponse(status: number, reason: string, body: string, extra = ''): string {
	return `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;
}

export const POT_GET = 'GET coffee://ducky HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\n\r\n';
export const POT_BREW_TEA = 'BREW coffee://ducky HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\nUse-Pot: tea\r\nContent-Length: 5\r\n\r\nstart';

/** A typical session: home page on one persistent connection (page + stylesheet), then the teapot. */
export function typicalSession(): Session {
	const s = new Session();
	const b = s.open('browser-webapp', 55433);
	s.send(b, 'client', httpGet('/'));
	s.potExchange(41000, POT_GET, 200, 'OK');
	s.send(b, 'server', httpResponse(200, 'OK', '<html>home</html>'));
	s.send(b, 'client', httpGet('/assets/styles.css'));
	s.send(b, 'server', httpResponse(304, 'Not Modified', ''));
	const b2 = s.open('browser-webapp', 55440);
	s.send(b2, 'client', httpGet('/?method=brew&message=start&pots=tea'));
	s.potExchange(41002, POT_BREW_TEA, 418, "I'm a teapot", 'I am a teapot');
	s.send(b2, 'server', httpResponse(418, "I'm a teapot", '<html>teapot</html>'));
	return s;
}
