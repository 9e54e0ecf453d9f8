/**
 * Turns the relay's `traffic` messages back into the TrafficEvents the shared
 * wire analysis eats. A data event longer than MAX_EVENT_BYTES arrives cut
 * short; the missing tail is filled with zero bytes so that sequence numbers
 * and frame numbers stay those of the downloadable pcapng.
 */

import type { TrafficEvent } from '$lib/protocol/analysis/events';
import type { TrafficEventMessage } from '$lib/relay-protocol';

export function base64ToBytes(text: string): Uint8Array {
	const binary = atob(text);
	const out = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
	return out;
}

export interface DecodedEvent {
	event: TrafficEvent;
	/** Bytes the relay left out of a long data event (filled with zeros here). */
	missing: number;
}

export function decodeTrafficEvent(message: TrafficEventMessage): DecodedEvent {
	const e = message.event;
	const base = { conn: e.conn, timeUs: e.timeUs };
	switch (e.kind) {
		case 'open':
			return {
				event: { type: 'open', ...base, client: { ...e.client }, server: { ...e.server }, ...(e.label ? { label: e.label } : {}) },
				missing: 0
			};
		case 'data': {
			const shown = base64ToBytes(e.bytes);
			if (shown.length >= e.length) return { event: { type: 'data', ...base, from: e.from, bytes: shown }, missing: 0 };
			const bytes = new Uint8Array(e.length);
			bytes.set(shown);
			return { event: { type: 'data', ...base, from: e.from, bytes }, missing: e.length - shown.length };
		}
		case 'end':
		case 'reset':
			return { event: { type: e.kind, ...base, from: e.from }, missing: 0 };
		case 'close':
			return { event: { type: 'close', ...base }, missing: 0 };
	}
}
