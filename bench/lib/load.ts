/**
 * Load generation for the benchmarks: `concurrency` loops, each opening a new
 * TCP connection per request, writing the request and waiting until the
 * server closes (the request carries `Connection: close`). Records
 * per-request latency from connect() to the server's close.
 */

import net from 'node:net';

export interface LoadResult {
	/** Server CPU time per answered request (µs), when the runs measured it. */
	cpuUsPerRequest?: number;
	requests: number;
	errors: number;
	seconds: number;
	rps: number;
	p50Ms: number;
	p99Ms: number;
}

export function percentile(sorted: readonly number[], p: number): number {
	if (sorted.length === 0) return NaN;
	const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[index];
}

function oneRequest(port: number, request: Buffer, expectPrefix: Buffer): Promise<number | null> {
	return new Promise((resolve) => {
		const started = process.hrtime.bigint();
		const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
		let first: Buffer | null = null;
		let settled = false;
		const done = (ok: boolean) => {
			if (settled) return;
			settled = true;
			socket.destroy();
			resolve(ok ? Number(process.hrtime.bigint() - started) / 1e6 : null);
		};
		socket.on('connect', () => socket.write(request));
		socket.on('data', (chunk: Buffer) => {
			if (!first) first = chunk;
		});
		socket.on('end', () => done(first !== null && first.subarray(0, expectPrefix.length).equals(expectPrefix)));
		socket.on('error', () => done(false));
	});
}

export interface LoadRun {
	latencies: number[];
	errors: number;
	seconds: number;
	/** Server CPU seconds used during the run (set by the caller). */
	serverCpuSeconds?: number;
}

/** Runs the load for `durationMs`. */
export async function runLoad(
	port: number,
	request: string,
	options: { concurrency: number; durationMs: number; expectPrefix: string }
): Promise<LoadRun> {
	const requestBytes = Buffer.from(request);
	const prefix = Buffer.from(options.expectPrefix);
	const latencies: number[] = [];
	let errors = 0;
	const start = performance.now();
	const deadline = start + options.durationMs;
	await Promise.all(
		Array.from({ length: options.concurrency }, async () => {
			while (performance.now() < deadline) {
				const ms = await oneRequest(port, requestBytes, prefix);
				if (ms === null) errors++;
				else latencies.push(ms);
			}
		})
	);
	return { latencies, errors, seconds: (performance.now() - start) / 1000 };
}

/** Summarises one or more runs of the same configuration. */
export function summarize(runs: readonly LoadRun[]): LoadResult {
	const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
	const seconds = runs.reduce((n, r) => n + r.seconds, 0);
	const cpu = runs.every((r) => r.serverCpuSeconds !== undefined) ? runs.reduce((n, r) => n + (r.serverCpuSeconds ?? 0), 0) : undefined;
	return {
		...(cpu !== undefined && latencies.length > 0 ? { cpuUsPerRequest: (cpu * 1e6) / latencies.length } : {}),
		requests: latencies.length,
		errors: runs.reduce((n, r) => n + r.errors, 0),
		seconds,
		rps: latencies.length / seconds,
		p50Ms: percentile(latencies, 50),
		p99Ms: percentile(latencies, 99)
	};
}
