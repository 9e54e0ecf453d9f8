/**
 * The relay's HTTP routes. `/api/*` needs the token (query or cookie) and
 * answers 401 without it; a page address carrying a valid `?token=` is
 * answered with the cookie and a redirect to the same address without the
 * token, so it doesn't linger in the address bar or history. Everything else
 * is the tutor site (build/handler.js, when built) or the relay's plain page.
 */

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT_DIR } from '../shared/paths';
import type { Auth } from './auth';
import { PAGE_CSP, PAGE_HTML, PAGE_SCRIPT } from './page';

export type Middleware = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

export interface RouteOptions {
	auth: Auth;
	site: Middleware | null;
	/** Streams the capture so far as pcapng into `res`. */
	capture: (res: http.ServerResponse) => Promise<void>;
	status: () => unknown;
	/** The lab's routes (`/api/lab/...`, server/lab/relay.ts); they sit behind the token like the rest of /api. */
	lab?: { handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): boolean };
	/** The session recordings and the student's name (server/recording/api.ts). */
	recordings?: { handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): boolean };
}

const SITE_HANDLER = path.join(ROOT_DIR, 'build', 'handler.js');

/** The built tutor site, if `vite build` has produced it. */
export async function loadSite(file = SITE_HANDLER): Promise<Middleware | null> {
	if (!fs.existsSync(file)) return null;
	const module = (await import(pathToFileURL(file).href)) as { handler?: Middleware };
	return typeof module.handler === 'function' ? module.handler : null;
}

function send(res: http.ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
	res.writeHead(status, {
		'Content-Type': type,
		'Content-Length': Buffer.byteLength(body),
		'Cache-Control': 'no-store',
		...headers
	});
	res.end(body);
}

function json(res: http.ServerResponse, status: number, value: unknown): void {
	send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

export function createRoutes(options: RouteOptions): http.RequestListener {
	const { auth } = options;
	return (req, res) => {
		res.setHeader('X-Content-Type-Options', 'nosniff');
		// The token may be in the address: never leak it to other sites.
		res.setHeader('Referrer-Policy', 'no-referrer');
		let url: URL;
		try {
			url = new URL(req.url ?? '/', 'http://relay');
		} catch {
			return send(res, 400, 'text/plain; charset=utf-8', 'Bad request target\n');
		}
		if (url.pathname === '/api' || url.pathname.startsWith('/api/')) return api(req, res, url, options);

		const offered = url.searchParams.get('token');
		if (offered !== null) {
			if (!auth.matches(offered)) {
				return send(res, 401, 'text/plain; charset=utf-8', 'This token is not the current one: the relay makes a new one each time it starts. Use the link it printed.\n');
			}
			url.searchParams.delete('token');
			const location = url.pathname + (url.search || '');
			return send(res, 303, 'text/plain; charset=utf-8', '', { Location: location, 'Set-Cookie': auth.cookie() });
		}

		if (options.site) {
			return options.site(req, res, () => plainPage(req, res, url));
		}
		plainPage(req, res, url);
	};
}

function plainPage(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
	if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed\n', { Allow: 'GET, HEAD' });
	if (url.pathname === '/') return send(res, 200, 'text/html; charset=utf-8', PAGE_HTML, { 'Content-Security-Policy': PAGE_CSP });
	if (url.pathname === '/relay-page.js') return send(res, 200, 'text/javascript; charset=utf-8', PAGE_SCRIPT);
	send(res, 404, 'text/plain; charset=utf-8', 'Not found\n');
}

function api(req: http.IncomingMessage, res: http.ServerResponse, url: URL, options: RouteOptions): void {
	if (!options.auth.allowed(req)) {
		return json(res, 401, { error: 'unauthorized', message: 'add ?token=… from the link the relay printed, or open that link first' });
	}
	if (options.lab?.handle(req, res, url)) return;
	if (options.recordings?.handle(req, res, url)) return;
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		res.setHeader('Allow', 'GET, HEAD');
		return json(res, 405, { error: 'method-not-allowed', message: `${req.method} is not allowed here` });
	}
	switch (url.pathname) {
		case '/api/capture.pcapng':
			res.writeHead(200, {
				'Content-Type': 'application/vnd.tcpdump.pcap',
				'Content-Disposition': 'attachment; filename="htcpcp-lab.pcapng"',
				'Cache-Control': 'no-store'
			});
			if (req.method === 'HEAD') return void res.end();
			options.capture(res).catch(() => res.destroy());
			return;
		case '/api/status':
			return json(res, 200, options.status());
		default:
			return json(res, 404, { error: 'not-found', message: `no API route ${url.pathname}` });
	}
}
