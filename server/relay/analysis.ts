/**
 * The main thread's side of the analysis worker: events are batched per
 * tick and posted; messages come back in order. If the worker cannot start
 * (or dies), the analysis runs on the main thread instead, so the live view
 * keeps working, only slower.
 */

import { Worker } from 'node:worker_threads';
import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';
import type { TrafficMessage } from '../../src/lib/relay-protocol/index';
import { LiveMessages } from './live';

export class Analysis {
	private worker: Worker | null = null;
	private local: LiveMessages | null = null;
	private batch: TrafficEvent[] = [];
	private scheduled = false;

	private started = false;

	constructor(private readonly emit: (message: TrafficMessage) => void) {}

	/** Started on the first event: a relay nobody sends traffic through doesn't pay for it. */
	private start(): void {
		this.started = true;
		try {
			// The worker is TypeScript like the rest: it registers tsx's loader, then imports it.
			const entry = new URL('./analysis-worker.ts', import.meta.url).href;
			const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
			this.worker = new Worker(boot, { eval: true });
			this.worker.on('message', (message: TrafficMessage) => this.emit(message));
			this.worker.on('error', (error) => {
				process.stderr.write(`relay: the analysis worker failed (${error.message}); analysing on the main thread\n`);
				this.worker = null;
				this.local = new LiveMessages(this.emit);
			});
			this.worker.unref();
		} catch {
			this.local = new LiveMessages(this.emit);
		}
	}

	push(event: TrafficEvent): void {
		if (!this.started) this.start();
		if (this.local) return this.local.push(event);
		if (!this.worker) return;
		this.batch.push(event);
		if (!this.scheduled) {
			this.scheduled = true;
			setImmediate(() => this.flush());
		}
	}

	private flush(): void {
		this.scheduled = false;
		const events = this.batch;
		this.batch = [];
		if (this.worker) this.worker.postMessage(events);
		else if (this.local) for (const e of events) this.local.push(e);
	}

	async close(): Promise<void> {
		this.local?.close();
		const worker = this.worker;
		this.worker = null;
		if (worker) await worker.terminate();
	}
}
