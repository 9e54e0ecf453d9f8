/**
 * Who may use the relay: whoever holds this launch's random token, given as
 * a `token` query parameter, or the HttpOnly cookie a page gets in exchange
 * for it; and for the websocket, only pages the relay served itself (the Origin).
 *
 * The cookie is a session, not the token: `s1.<issued>.<mac>`, signed with a
 * key kept in the data folder (mode 0600). So a page that was let in keeps
 * working when the relay restarts (it reconnects by itself), while a new
 * browser still needs the new launch's token. Sessions last SESSION_MAX_AGE_S.
 */

import crypto from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';

/** How long a page's session cookie stays valid, across relay restarts: 12 hours. */
export const SESSION_MAX_AGE_S = 12 * 60 * 60;

/** The key that signs session cookies: made once per data folder, readable by its owner only. */
export function loadSessionKey(dataDir: string): Uint8Array {
	const file = path.join(dataDir, 'session.key');
	try {
		const key = fs.readFileSync(file);
		if (key.length >= 32) return key;
	} catch {
		/* made below */
	}
	const key = crypto.randomBytes(32);
	fs.writeFileSync(file, key, { mode: 0o600 });
	return key;
}

export class Auth {
	readonly token: string;
	/** Cookies ignore ports, so the name carries the port: two relays don't clobber each other. */
	cookieName: string;
	private origins: Set<string>;
	private readonly host: string;
	/** Bound to every interface: the page may be opened under any of the machine's addresses. */
	private readonly wildcard: boolean;

	private readonly sessionKey: Uint8Array;

	constructor(port: number, host: string, token = crypto.randomBytes(24).toString('base64url'), sessionKey: Uint8Array = crypto.randomBytes(32)) {
		this.token = token;
		this.sessionKey = sessionKey;
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
		return this.matches(this.queryToken(req)) || this.validSession(this.cookieToken(req));
	}

	private mac(issued: string): string {
		return crypto.createHmac('sha256', this.sessionKey).update(`session.${issued}`).digest('base64url');
	}

	/** A session cookie this data folder's key signed, not older than SESSION_MAX_AGE_S. */
	validSession(value: string | null, now = Date.now()): boolean {
		if (!value) return false;
		const m = /^s1\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(value);
		if (!m) return false;
		const age = now / 1000 - Number(m[1]);
		if (age < -60 || age > SESSION_MAX_AGE_S) return false;
		const a = Buffer.from(m[2]);
		const b = Buffer.from(this.mac(m[1]));
		return a.length === b.length && crypto.timingSafeEqual(a, b);
	}

	/** The Set-Cookie value that lets the page in without the token in its address. */
	cookie(now = Date.now()): string {
		const issued = String(Math.floor(now / 1000));
		return `${this.cookieName}=s1.${issued}.${this.mac(issued)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SESSION_MAX_AGE_S}`;
	}

	/** A browser always sends Origin on a websocket handshake; it must be one of ours. */
	originAllowed(req: IncomingMessage): boolean {
		const origin = req.headers.origin;
		if (origin === undefined) return false;
		if (this.origins.has(origin)) return true;
		return this.wildcard && req.headers.host !== undefined && origin === `http://${req.headers.host}`;
	}
}
