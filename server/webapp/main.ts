/**
 * `npm run webapp`: the lab's coffee web site. Flags are in flags.ts, routes in
 * app.ts. Prints `Coffee web app on http://HOST:PORT/` when ready; every
 * startup mistake is one line on stderr and a non-zero exit.
 */

import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createApp, startHint } from './app';
import { FlagError, parseFlags, USAGE } from './flags';
import { loadAssets } from './static';
import { CertificateError, certificateFromFiles, generateCertificate, type TlsMaterial } from './tls';

function fail(message: string, code = 2): never {
	console.error(`webapp: ${message}`);
	process.exit(code);
}

async function main(): Promise<void> {
	let flags;
	try {
		flags = parseFlags(process.argv.slice(2));
	} catch (e) {
		if (e instanceof FlagError) fail(e.message);
		throw e;
	}
	if (flags.help) {
		console.log(USAGE);
		return;
	}

	let material: TlsMaterial | null = null;
	if (flags.https) {
		try {
			material = flags.cert && flags.key ? certificateFromFiles(flags.cert, flags.key) : await generateCertificate();
		} catch (e) {
			if (e instanceof CertificateError) fail(e.message);
			fail(`could not make a TLS certificate: ${(e as Error).message}`, 1);
		}
	}

	// Every request is logged on stdout, so students can watch the web app work.
	const app = createApp({
		pot: flags.pot,
		potTimeoutMs: flags.potTimeoutMs,
		assets: loadAssets(),
		log: (line) => process.stdout.write(line + '\n')
	});
	const server = material ? https.createServer({ cert: material.cert, key: material.key }, app.handle) : http.createServer(app.handle);
	server.on('clientError', app.clientError);
	// Slow or stuck clients are cut off; idle keep-alive connections close after 5 s.
	server.headersTimeout = 10_000;
	server.requestTimeout = 30_000;
	server.keepAliveTimeout = 5_000;
	// Plain HTTP or a failed handshake on the TLS port: the socket is dropped, no page is served.
	server.on('tlsClientError', () => {});

	const host = flags.local ? '127.0.0.1' : '0.0.0.0';
	server.on('error', (err: NodeJS.ErrnoException) => {
		if (err.code === 'EADDRINUSE') fail(`port ${flags.port} is already in use; choose another with --port`);
		if (err.code === 'EACCES') fail(`not allowed to listen on port ${flags.port}; choose a port above 1023 with --port`);
		if (err.code === 'EADDRNOTAVAIL') fail(`cannot listen on ${host}; this machine has no such address`);
		fail(`cannot listen on ${host}:${flags.port}: ${err.message}`, 1);
	});
	server.listen(flags.port, host, () => {
		const { port } = server.address() as AddressInfo;
		const scheme = material ? 'https' : 'http';
		if (material) {
			console.log(`TLS certificate: ${material.subject}`);
			console.log(`SHA-256 fingerprint: ${material.fingerprint256}`);
		}
		console.log(`Pot expected at ${flags.pot.host}:${flags.pot.port} (start it with: ${startHint(flags.pot)})`);
		console.log(`Coffee web app on ${scheme}://127.0.0.1:${port}/${flags.local ? '' : ' (listening on all interfaces; --local for loopback only)'}`);
	});

	const stop = () => {
		server.close();
		server.closeAllConnections();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((e: unknown) => fail(`failed to start: ${e instanceof Error ? e.message : String(e)}`, 1));
