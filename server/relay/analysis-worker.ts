/**
 * The wire analysis in a worker thread. The analyzer does real work per
 * byte (synthetic TCP, reassembly, parsing); on the main thread that work
 * would sit between a chunk arriving at the tap and the next one being
 * forwarded. Here the main thread only posts packed records (one buffer per
 * event-loop turn) and gets the page messages back, one array per buffer.
 */

import os from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { TrafficMessage } from '../../src/lib/relay-protocol/index';
import { LiveMessages } from './live';
import { decodeRecords } from './spool';

/** Nice value for this thread: below the taps and terminals when the CPU is short. */
const ANALYSIS_NICE = 19;

if (parentPort) {
	const port = parentPort;
	try {
		// On Linux a nice value belongs to a thread, and pid 0 means the calling
		// one: only this worker yields, the relay's main thread keeps its priority.
		os.setPriority(0, ANALYSIS_NICE);
	} catch {
		/* not allowed here: analyse at normal priority */
	}
	let out: TrafficMessage[] = [];
	const live = new LiveMessages((message) => out.push(message));
	port.on('message', (records: Uint8Array) => {
		for (const event of decodeRecords(records)) live.push(event);
		if (out.length === 0) return;
		port.postMessage(out);
		out = [];
	});
}
