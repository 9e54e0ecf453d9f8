/**
 * The wire analysis in a worker thread. The analyzer does real work per
 * byte (synthetic TCP, reassembly, parsing); on the main thread that work
 * would sit between a chunk arriving at the tap and the next one being
 * forwarded. Here the tap only posts events and the pages get messages back.
 */

import { parentPort } from 'node:worker_threads';
import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';
import { LiveMessages } from './live';

if (parentPort) {
	const port = parentPort;
	const live = new LiveMessages((message) => port.postMessage(message));
	port.on('message', (events: TrafficEvent[]) => {
		for (const event of events) live.push(event);
	});
}
