/**
 * The main thread's side of the analysis worker. The relay hands over one
 * buffer of packed records per event-loop turn (see spool.ts) and gets the
 * resulting page messages back as one array per buffer, in order. If the
 * worker cannot start (or dies), the analysis runs on the main thread
 * instead, so the live view keeps working, only slower.
 */

import { Worker } from 'node:worker_threads';
import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';
import type { TrafficMessage } from '../../src/lib/relay-protocol/index';
import { LiveMessages } from './live';

export class Analysis {
	private worker: Worker | null = null;
	private local: LiveMessages | null = null;
	private started = false;

	constructor(private readonly emit: (messages: TrafficMessage[]) => void) {}

	/** Started on the first events: a relay nobody sends traffic through doesn't pay for it. */
	private start(): void {
		this.started = true;
		try {
			// The worker is TypeScript like the rest: it registers tsx's loader, then imports it.
			const entry = new URL('./analysis-worker.ts', import.meta.url).href;
			const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
			this.worker = new Worker(boot, { eval: true });
			this.worker.on('message', (messages: TrafficMessage[]) => this.emit(messages));
			this.worker.on('error', (error) => {
				process.stderr.write(`relay: the analysis worker failed (${error.message}); analysing on the main thread\n`);
				this.worker = null;
				this.startLocal();
			});
			this.worker.unref();
		} catch {
			this.startLocal();
		}
	}

	private startLocal(): void {
		this.local = new LiveMessages((message) => this.emit([message]));
	}

	/**
	 * One turn's events, and the same events packed as records. The worker gets
	 * a copy of the packed buffer (the caller still writes it to the spool).
	 */
	push(events: readonly TrafficEvent[], records: Buffer): void {
		if (!this.started) this.start();
		if (this.worker) this.worker.postMessage(records);
		else if (this.local) for (const event of events) this.local.push(event);
	}

	async close(): Promise<void> {
		this.local?.close();
		const worker = this.worker;
		this.worker = null;
		if (worker) await worker.terminate();
	}
}
