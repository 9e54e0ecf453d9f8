/** A small server for the replay tests: the recording routes under /api/, the built tutor site for the rest. */
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadCriteria } from '../../server/checkoff/criteria';
import { recordingRoutes, type SessionRecorder } from '../../server/recording/index';
import { ROOT } from '../helpers/process';

type Middleware = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;

export async function serveRecordings(dir: string, recorder: SessionRecorder | null = null, withSite = false): Promise<{ base: string; close(): Promise<void> }> {
	const criteria = loadCriteria();
	const routes = recordingRoutes({ dir, recorder, criteria: () => criteria });
	let site: Middleware | null = null;
	if (withSite) site = ((await import(pathToFileURL(path.join(ROOT, 'build', 'handler.js')).href)) as { handler: Middleware }).handler;
	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://x');
		if (url.pathname.startsWith('/api/')) {
			if (!routes.handle(req, res, url)) {
				res.writeHead(404, { 'Content-Type': 'application/json' });
				res.end('{"error":"not-found"}');
			}
			return;
		}
		if (site) return site(req, res, () => (res.writeHead(404), res.end()));
		res.writeHead(404);
		res.end();
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	const port = (server.address() as net.AddressInfo).port;
	return {
		base: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise<void>((r) => {
				server.closeAllConnections();
				server.close(() => r());
			})
	};
}
