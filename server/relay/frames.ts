/**
 * How messages for the pages become websocket frames: runs of traffic
 * messages go as `batch` frames (see the relay protocol), everything else as
 * a frame of its own, in order.
 */

import { MAX_BATCH_MESSAGES, RELAY_PROTOCOL_VERSION, type ServerMessage } from '../../src/lib/relay-protocol/index';

/** A batch frame holds at most this much JSON (and MAX_BATCH_MESSAGES messages); bigger events go in frames of their own. */
const MAX_BATCH_TEXT = 64 * 1024;
const BATCH_HEAD = `{"v":${RELAY_PROTOCOL_VERSION},"type":"batch","messages":[`;

/** The frames that carry `messages`, in order: runs of traffic messages become batches. */
export function framesFor(messages: readonly ServerMessage[]): string[] {
	const frames: string[] = [];
	let run: string[] = [];
	let runText = 0;
	const endRun = () => {
		if (run.length === 1) frames.push(run[0]);
		else if (run.length > 1) frames.push(`${BATCH_HEAD}${run.join(',')}]}`);
		run = [];
		runText = 0;
	};
	for (const message of messages) {
		const text = JSON.stringify(message);
		if (message.type !== 'traffic' && message.type !== 'message') {
			endRun();
			frames.push(text);
			continue;
		}
		if (run.length === MAX_BATCH_MESSAGES || (run.length > 0 && runText + text.length > MAX_BATCH_TEXT)) endRun();
		run.push(text);
		runText += text.length + 1;
	}
	endRun();
	return frames;
}
