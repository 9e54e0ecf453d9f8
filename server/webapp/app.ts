/**
 * Routing: turns each HTTP request from the browser into at most one HTCPCP
 * request to the pot and one page. The lab's query-string interface lives on
 * `/` (`?method=brew|when|propfind|get`); actions that succeed answer
 * `302 Found` back to `/`.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ExchangeError, type HtcpcpRequest, type PotAddress } from '../client/exchange';
import { askPot, badRequests, potRequests, type PotChoice, type PotReply } from './pot';
import { parseBeans, parseHistory, parseState, PotDataError } from './potdata';
import { renderBeans } from './pages/beans';
import { renderHttpError, renderPotDown, renderPotError } from './pages/errors';
import { renderHome } from './pages/home';
import type { PageContext } from './pages/layout';
import { renderLog } from './pages/log';
import { refuseUnparsed, sendAsset, sendPage, sendRedirect } from './reply';
import { notModified, type Asset } from './static';

export interface AppOptions {
	pot: PotAddress;
	/** How long to wait for the pot before answering 504. */
	potTimeoutMs: number;
	assets: Map<string, Asset>;
	/**
	 * Where the request log goes (one line per HTTP request and per HTCPCP
	 * exchange): what students watch in the tutor's web app terminal.
	 * Default: no log.
	 */
	log?: (line: string) => void;
}

function clock(): string {
	return new Date().toISOString().slice(11, 23);
}

/** Only GET and HEAD: every page is a read, and the lab's actions are links. */
export const ALLOWED_METHODS = 'GET, HEAD';

/** Limits on what the query string may ask the pot for. */
export const MAX_ADDITIONS = 32;
export const MAX_ADDITION_LENGTH = 100;

/**
 * The HTTP status of a page showing an HTCPCP refusal. Refusals caused by
 * what the browser asked for keep the pot's code, so the error is visible to
 * curl, Wireshark's HTTP filter and the browser's tools; anything else the pot
 * says is a failure upstream of the web app, 502 (RFC 9110 section 15.6.3).
 */
export const PASSED_THROUGH = new Set([300, 400, 404, 406, 409, 415, 418, 501]);
export function pageStatusFor(potStatus: number): number {
	return PASSED_THROUGH.has(potStatus) ? potStatus : 502;
}

/** Aliases at the root for files browsers and crawlers look for there. */
const ROOT_FILES: Record<string, string> = { '/favicon.ico': 'favicon.svg', '/robots.txt': 'robots.txt' };
const TEST_PATHS: Record<string, string> = { '/test-400': '400', '/test-404': '404', '/test-501': '501', '/test-415': '415' };

class BadQuery extends Error {}

function potLabel(pot: PotAddress): string {
	return pot.host.includes(':') ? `[${pot.host}]:${pot.port}` : `${pot.host}:${pot.port}`;
}

export function startHint(pot: PotAddress): string {
	const loopback = pot.host === '127.0.0.1' || pot.host === 'localhost' || pot.host === '::1';
	return loopback ? `npm run pot -- --local --port ${pot.port}` : `npm run pot -- --port ${pot.port}   (on ${pot.host})`;
}

function readAdditions(query: URLSearchParams): string[] {
	const additions = query
		.getAll('additions')
		.map((a) => a.trim())
		.filter((a) => a !== '');
	if (additions.length > MAX_ADDITIONS) throw new BadQuery(`At most ${MAX_ADDITIONS} additions can go in one brew.`);
	for (const a of additions) {
		if (a.length > MAX_ADDITION_LENGTH) throw new BadQuery(`An addition name can be at most ${MAX_ADDITION_LENGTH} characters long.`);
		// A control character would end the Accept-Additions header line early.
		if (/[\u0000-\u001f\u007f]/.test(a)) throw new BadQuery('An addition name cannot contain control characters such as line breaks.');
	}
	return additions;
}

function readPot(query: URLSearchParams): PotChoice {
	const pot = query.get('pots') ?? 'ducky';
	if (pot === 'ducky' || pot === 'tea') return pot;
	throw new BadQuery(`There is no pot called “${pot}”: choose pots=ducky or pots=tea.`);
}

export interface WebApp {
	handle: (req: IncomingMessage, res: ServerResponse) => void;
	/** For the server's `clientError` event: requests Node's parser refused. */
	clientError: (err: NodeJS.ErrnoException, socket: Duplex) => void;
}

export function createApp(options: AppOptions): WebApp {
	const ctx: PageContext = { potAddress: potLabel(options.pot) };

	/** One HTCPCP exchange; on failure the error page is sent and null returned. */
	async function ask(req: IncomingMessage, res: ServerResponse, request: HtcpcpRequest, asked: string): Promise<PotReply | null> {
		let reply: PotReply;
		const sent = `${request.method} ${request.target}`;
		try {
			reply = await askPot(options.pot, request, options.potTimeoutMs);
			options.log?.(
				`[${clock()}]   HTCPCP to pot ${ctx.potAddress} from local port ${reply.exchange.localPort}: ${sent} -> ${reply.status} ${reply.reason}`
			);
		} catch (e) {
			if (!(e instanceof ExchangeError)) throw e;
			options.log?.(`[${clock()}]   HTCPCP to pot ${ctx.potAddress}: ${sent} failed: ${e.message}`);
			const status = e.kind === 'timeout' ? 504 : 502;
			sendPage(req, res, status, renderPotDown(ctx, status, e.message, startHint(options.pot)));
			return null;
		}
		if (reply.status >= 200 && reply.status < 300) return reply;
		const extra: Record<string, string> = {};
		const retryAfter = reply.headers.find((h) => h.name.toLowerCase() === 'retry-after');
		if (reply.status === 409 && retryAfter && /^\d+$/.test(retryAfter.value.trim())) extra['Retry-After'] = retryAfter.value.trim();
		sendPage(req, res, pageStatusFor(reply.status), renderPotError(ctx, reply, asked), extra);
		return null;
	}

	async function home(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
		const method = query.get('method') ?? 'get';
		if (method === 'get') {
			const reply = await ask(req, res, potRequests.state(), 'asked the pot what is brewing (GET coffee://ducky)');
			if (reply) sendPage(req, res, 200, renderHome(ctx, parseState(reply.body)));
			return;
		}
		if (method === 'propfind') {
			const reply = await ask(req, res, potRequests.beans(), 'asked the pot for its beans (PROPFIND coffee://ducky)');
			if (reply) sendPage(req, res, 200, renderBeans(ctx, parseBeans(reply.body)));
			return;
		}
		if (method === 'when') {
			const reply = await ask(req, res, potRequests.when(), 'asked the pot to stop pouring milk (WHEN coffee://ducky)');
			if (reply) sendRedirect(req, res, '/');
			return;
		}
		if (method === 'brew') {
			const message = query.get('message') ?? 'start';
			let request: HtcpcpRequest;
			let asked: string;
			if (message === 'start') {
				const additions = readAdditions(query);
				const pot = readPot(query);
				request = potRequests.start(additions, pot);
				asked = `asked pot ${pot} to brew coffee${additions.length > 0 ? ` with ${additions.join(', ')}` : ''} (BREW coffee://ducky, body start)`;
			} else if (message === 'stop') {
				request = potRequests.stop();
				asked = 'asked the pot to stop (BREW coffee://ducky, body stop)';
			} else {
				throw new BadQuery(`“${message}” is not a brew message: use message=start or message=stop.`);
			}
			if (await ask(req, res, request, asked)) sendRedirect(req, res, '/');
			return;
		}
		throw new BadQuery(`“${method}” is not an action of this web app: use method=get, brew, when or propfind.`);
	}

	async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
		let url: URL;
		try {
			url = new URL(req.url ?? '/', 'http://webapp.invalid');
		} catch {
			sendPage(req, res, 400, renderHttpError(ctx, 400, 'The request target is not a valid URL.'));
			return;
		}
		const pathname = url.pathname;
		const assetName = pathname.startsWith('/assets/') ? decodeURIComponentSafe(pathname.slice('/assets/'.length)) : ROOT_FILES[pathname];
		const asset = assetName !== undefined ? options.assets.get(assetName) : undefined;
		const known = pathname === '/' || pathname === '/log' || pathname in TEST_PATHS || asset !== undefined;
		if (!known) {
			sendPage(req, res, 404, renderHttpError(ctx, 404, `There is no page at ${pathname}. The pot is at /, the beans at /?method=propfind and the log at /log.`));
			return;
		}
		if (req.method !== 'GET' && req.method !== 'HEAD') {
			sendPage(req, res, 405, renderHttpError(ctx, 405, `${pathname} answers GET and HEAD only, not ${req.method}.`), { Allow: ALLOWED_METHODS });
			return;
		}
		if (asset) {
			sendAsset(req, res, asset, notModified(asset, req.headers['if-none-match'], req.headers['if-modified-since']));
			return;
		}
		try {
			if (pathname === '/') {
				await home(req, res, url.searchParams);
			} else if (pathname === '/log') {
				const reply = await ask(req, res, potRequests.history(), 'asked the pot for its history (GET coffee://ducky/history)');
				if (reply) sendPage(req, res, 200, renderLog(ctx, parseHistory(reply.body)));
			} else {
				const bad = badRequests[TEST_PATHS[pathname]];
				const reply = await ask(req, res, bad.request, `sent ${bad.what}, on purpose (${pathname})`);
				// A pot that accepts the bad request is itself wrong: say so rather than pretend.
				if (reply) sendPage(req, res, 502, renderPotError(ctx, reply, `sent ${bad.what}, on purpose (${pathname}), and the pot accepted it although it should have refused`));
			}
		} catch (e) {
			if (e instanceof BadQuery) sendPage(req, res, 400, renderHttpError(ctx, 400, e.message));
			else if (e instanceof PotDataError) sendPage(req, res, 502, renderPotDown(ctx, 502, `it answered, but ${e.message}`, null));
			else throw e;
		}
	}

	const handle = (req: IncomingMessage, res: ServerResponse) => {
		const log = options.log;
		if (log) {
			const peer = `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
			const line = `${req.method} ${req.url} HTTP/${req.httpVersion}`;
			res.on('finish', () => log(`[${clock()}] ${peer} ${line} -> ${res.statusCode} ${res.statusMessage}`));
		}
		route(req, res).catch((e: unknown) => {
			// Logged for whoever runs the web app; the browser gets a page without details.
			console.error(`webapp: internal error on ${req.method} ${req.url}: ${e instanceof Error ? e.message : String(e)}`);
			if (!res.headersSent) sendPage(req, res, 500, renderHttpError(ctx, 500, SERVER_ERROR_MESSAGE));
			else res.destroy();
		});
	};
	return { handle, clientError: (err, socket) => refuseUnparsed(ctx, err, socket) };
}

export const SERVER_ERROR_MESSAGE = 'Something went wrong inside the web app. The error was logged where it runs.';

function decodeURIComponentSafe(value: string): string | undefined {
	try {
		return decodeURIComponent(value);
	} catch {
		return undefined;
	}
}

