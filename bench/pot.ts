/**
 * `npm run bench:pot`: GET requests per second against the pot, one new TCP
 * connection per request, at concurrency 1 and 16, with p50/p99 latency, next
 * to a bare Node `net` server that sends a fixed response of the same size
 * (the ceiling), measured in the same run. Prints the pot/ceiling ratio; the
 * goal is at least 80% at concurrency 16.
 *
 * Both servers write their output to a file (the pot logs every exchange, as
 * students see it; the bare server logs nothing), so neither waits on a reader.
 * The same client process drives both. On a shared machine the req/s ratio
 * moves with other programs' load, so each row also shows the server's own CPU
 * time per request (from /proc), which load from elsewhere barely changes.
 */

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runLoad, summarize, type LoadResult, type LoadRun } from './lib/load';
import { startBareServer, startTsx, type ServerProcess } from './lib/servers';

const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 3000);
/** Many short alternating rounds, so load from other programs on the machine hits both servers alike. */
const ROUNDS = 6;
const REQUEST = 'GET coffee://ducky HTTP/1.1\r\nConnection: close\r\n\r\n';
const PREFIX = 'HTCPCP/1.1 200 OK\r\n';
const GOAL = 0.8;

/** The same bytes the pot sends for an idle GET (the Date differs only in its digits). */
const FIXED_RESPONSE = `HTCPCP/1.1 200 OK\r\nServer: CoffeePot\r\nDate: ${new Date().toUTCString()}\r\nContent-Type: message/coffeepot\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`;

function row(name: string, r: LoadResult): string {
	const cpu = r.cpuUsPerRequest === undefined ? '' : `   server CPU ${r.cpuUsPerRequest.toFixed(0).padStart(4)} µs/request`;
	return `${name.padEnd(22)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${r.p50Ms.toFixed(2).padStart(6)} ms   p99 ${r.p99Ms.toFixed(2).padStart(6)} ms${cpu}   (${r.requests} requests, ${r.errors} errors)`;
}

async function main(): Promise<void> {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pot-data-'));
	let bare: ServerProcess | null = null;
	let pot: ServerProcess | null = null;
	try {
		bare = await startBareServer(FIXED_RESPONSE);
		pot = await startTsx('server/pot/main.ts', ['--port', '0', '--local', '--data', dataDir], /Listening for connections on \S+:(\d+)/);
		const servers = { bare: bare.port, pot: pot.port };
		const processes = { bare, pot };
		console.log(`pot bench: GET over a new TCP connection per request, ${ROUNDS} alternating rounds of ${PHASE_MS / ROUNDS} ms per server and concurrency`);
		// Warm both up (JIT, socket paths).
		for (const port of Object.values(servers)) await runLoad(port, REQUEST, { concurrency: 4, durationMs: 500, expectPrefix: PREFIX });

		let worstRatio16 = Infinity;
		for (const concurrency of [1, 16]) {
			const runs: Record<keyof typeof servers, LoadRun[]> = { bare: [], pot: [] };
			// Alternate the two servers so drift on a shared machine hits both alike.
			for (let round = 0; round < ROUNDS; round++) {
				for (const name of ['bare', 'pot'] as const) {
					const cpuBefore = processes[name].cpuSeconds();
					const run = await runLoad(servers[name], REQUEST, { concurrency, durationMs: PHASE_MS / ROUNDS, expectPrefix: PREFIX });
					runs[name].push({ ...run, serverCpuSeconds: processes[name].cpuSeconds() - cpuBefore });
				}
			}
			const b = summarize(runs.bare);
			const p = summarize(runs.pot);
			const ratio = p.rps / b.rps;
			console.log(`\nconcurrency ${concurrency}`);
			console.log(row('bare net server', b));
			console.log(row('pot', p));
			console.log(
				`ratio pot / bare: ${(ratio * 100).toFixed(1)}%` +
					(p.cpuUsPerRequest && b.cpuUsPerRequest ? `   (server CPU per request: pot ${(p.cpuUsPerRequest / b.cpuUsPerRequest).toFixed(2)}x the bare server's)` : '')
			);
			if (concurrency === 16) worstRatio16 = ratio;
		}
		console.log(
			`\ngoal: at least ${GOAL * 100}% of the bare server at concurrency 16: ${worstRatio16 >= GOAL ? 'met' : 'NOT met'} (${(worstRatio16 * 100).toFixed(1)}%)`
		);
	} finally {
		await bare?.stop();
		await pot?.stop();
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
}

main().catch((e: unknown) => {
	console.error(`bench:pot failed: ${(e as Error).message}`);
	process.exitCode = 1;
});
