/**
 * A capture file opened in the page (dropped or chosen): read with the
 * shared pcap/pcapng reader and analysed once.
 */

import { analyzeCapture } from '$lib/protocol/analysis/frames';
import type { CaptureAnalysis } from '$lib/protocol/analysis/model';
import { readCapture } from '$lib/protocol/capture/read';
import { DEFAULT_PORTS, type TrafficSource } from './source';

export class CaptureTraffic implements TrafficSource {
	readonly kind = 'capture';
	readonly version = 0;
	readonly ports = DEFAULT_PORTS;
	readonly note: string | null;

	constructor(
		readonly name: string,
		readonly analysis: CaptureAnalysis,
		note: string | null = null
	) {
		this.note = note;
	}

	label(): string | undefined {
		return undefined;
	}
}

/** Reads and analyses a capture; throws an Error with one clear sentence when it cannot. */
export function openCapture(name: string, bytes: Uint8Array): CaptureTraffic {
	const file = readCapture(bytes);
	if (file.packets.length === 0) {
		throw new Error(file.error ? `${name} is not a capture this page can read: ${file.error.message}` : `${name} holds no packets`);
	}
	const analysis = analyzeCapture(file);
	const note = file.error ? `Only part of ${name} could be read: ${file.error.message}` : null;
	return new CaptureTraffic(name, analysis, note);
}
