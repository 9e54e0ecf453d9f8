/**
 * Who may use the relay: whoever holds this launch's random token, given as
 * a `token` query parameter or as the HttpOnly cookie the page trades it for;
 * and for the websocket, only pages the relay served itself (the Origin).
 */

import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export class Auth {
	readonly token: string;
	/** Cookies ignore ports, so the name carries the port: two relays don't clobber each other. */
	cookieName: string;
	private origins: Set<string>;
	private readonly host: string;
	/** Bound to every interface: the page may be opened under any of the machine's addresses. */
	private readonly wildcard: boolean;

	constructor(port: number, host: string, token = crypto.randomBytes(24).toString('base64url')) {
		this.token = token;
		this.host = host;
		this.cookieName = `htcpcp_tutor_${port}`;
		this.origins = this.originsFor(port);
		this.wildcard = host === '0.0.0.0' || host === '::';
	}

	/** The port the relay really listens on (with `--port 0` the OS picks it after construction). */
	listeningOn(port: number): void {
		this.cookieName = `htcpcp_tutor_${port}`;
		this.origins = this.originsFor(port);
	}

	private originsFor(port: number): Set<string> {
		const hosts = new Set([this.host, '127.0.0.1', 'localhost', '[::1]']);
		if (this.host.includes(':') && !this.host.startsWith('[')) hosts.add(`[${this.host}]`);
		return new Set([...hosts].map((h) => `http://${h}:${port}`));
	}

	matches(candidate: string | null | undefined): boolean {
		if (!candidate) return false;
		const a = Buffer.from(candidate);
		const b = Buffer.from(this.token);
		return a.length === b.length && crypto.timingSafeEqual(a, b);
	}

	queryToken(req: IncomingMessage): string | null {
		return new URL(req.url ?? '/', 'http://relay').searchParams.get('token');
	}

	cookieToken(req: IncomingMessage): string | null {
		for (const part of (req.headers.cookie ?? '').split(';')) {
			const eq = part.indexOf('=');
			if (eq > 0 && part.slice(0, eq).trim() === this.cookieName) return part.slice(eq + 1).trim();
		}
		return null;
	}

	allowed(req: IncomingMessage): boolean {
		return this.matches(this.queryToken(req)) || this.matches(this.cookieToken(req));
	}

	/** The Set-Cookie value that lets the page in without the token in its address. */
	cookie(): string {
		return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
	}

	/** A browser always sends Origin on a websocket handshake; it must be one of ours. */
	originAllowed(req: IncomingMessage): boolean {
		const origin = req.headers.origin;
		if (origin === undefined) return false;
		if (this.origins.has(origin)) return true;
		return this.wildcard && req.headers.host !== undefined && origin === `http://${req.headers.host}`;
	}
}
