/**
 * Every answer the web app gives goes through `send`: it sets the status,
 * `Content-Length` for the exact bytes, the security headers, and leaves the
 * body out for HEAD (RFC 9110 section 9.3.2) and 304 (section 15.4.5). Node's
 * http module adds `Date` and keeps HTTP/1.1 connections open.
 */

import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { serializeResponse, withLength, type Header } from '../../src/lib/protocol/index';
import { renderHttpError } from './pages/errors';
import type { SafeHtml } from './pages/html';
import type { PageContext } from './pages/layout';
import { ASSET_CACHE_CONTROL, type Asset } from './static';

/**
 * A strict policy: scripts, styles and images only from this origin, no
 * inline script or style, no framing. Possible because the countdown script
 * is an asset and pages use no `style` attributes.
 */
export const CONTENT_SECURITY_POLICY =
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const COMMON_HEADERS: OutgoingHttpHeaders = {
	Server: 'coffee-webapp',
	'X-Content-Type-Options': 'nosniff',
	'Referrer-Policy': 'no-referrer'
};

export function send(req: IncomingMessage, res: ServerResponse, status: number, headers: OutgoingHttpHeaders, body: Buffer): void {
	const withoutBody = req.method === 'HEAD' || status === 304;
	const all: OutgoingHttpHeaders = { ...COMMON_HEADERS, ...headers };
	if (status !== 304) all['Content-Length'] = body.length;
	res.writeHead(status, all);
	res.end(withoutBody ? undefined : body);
}

/** A rendered page. Pages depend on the pot's state, so no cache may keep them. */
export function sendPage(
	req: IncomingMessage,
	res: ServerResponse,
	status: number,
	page: SafeHtml,
	extra: OutgoingHttpHeaders = {}
): void {
	send(
		req,
		res,
		status,
		{
			'Content-Type': 'text/html; charset=utf-8',
			'Cache-Control': 'no-store',
			'Content-Security-Policy': CONTENT_SECURITY_POLICY,
			...extra
		},
		Buffer.from(page.value, 'utf8')
	);
}

/** 302 Found back to a page after an action (post/redirect/get, RFC 9110 section 15.4.3). */
export function sendRedirect(req: IncomingMessage, res: ServerResponse, location: string): void {
	send(
		req,
		res,
		302,
		{ Location: location, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
		Buffer.from(`Found: ${location}\n`, 'utf8')
	);
}

export function sendAsset(req: IncomingMessage, res: ServerResponse, asset: Asset, notModified: boolean): void {
	const validators: OutgoingHttpHeaders = {
		ETag: asset.etag,
		'Last-Modified': asset.lastModified.toUTCString(),
		'Cache-Control': ASSET_CACHE_CONTROL
	};
	if (notModified) {
		send(req, res, 304, validators, Buffer.alloc(0));
		return;
	}
	send(req, res, 200, { ...validators, 'Content-Type': asset.contentType }, asset.body);
}

/**
 * Requests Node's HTTP parser could not take never reach the router: an
 * unknown method such as BREW (llhttp knows only registered methods), headers
 * too large, a malformed head, a client too slow. They still get a real page,
 * written with the protocol core's serializer, and the connection is closed
 * because the parser cannot find the next request.
 */
export function refuseUnparsed(ctx: PageContext, err: NodeJS.ErrnoException, socket: Duplex): void {
	if (!socket.writable || (err.code === 'ECONNRESET')) {
		socket.destroy();
		return;
	}
	let status = 400;
	let message = 'The request could not be read as HTTP/1.1.';
	const headers: Header[] = [];
	if (err.code === 'HPE_INVALID_METHOD') {
		status = 405;
		message = 'This web app answers GET and HEAD only. HTCPCP methods such as BREW go from the web app to the pot, not from the browser.';
		headers.push({ name: 'Allow', value: 'GET, HEAD' });
	} else if (err.code === 'HPE_HEADER_OVERFLOW') {
		status = 431;
		message = 'The request head is larger than this web app accepts.';
	} else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
		status = 408;
		message = 'The request did not arrive in time.';
	}
	const body = renderHttpError(ctx, status, message).value;
	const bytes = serializeResponse({
		version: 'HTTP/1.1',
		status,
		headers: withLength(
			[
				...headers,
				{ name: 'Content-Type', value: 'text/html; charset=utf-8' },
				{ name: 'Cache-Control', value: 'no-store' },
				{ name: 'Content-Security-Policy', value: CONTENT_SECURITY_POLICY },
				{ name: 'Date', value: new Date().toUTCString() },
				{ name: 'Connection', value: 'close' }
			],
			body
		),
		body
	});
	socket.end(bytes);
}
