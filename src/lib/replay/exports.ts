/**
 * Files the replay page offers for download, made in the browser from the
 * timeline the relay sent (so an uploaded recording exports too): a
 * terminal as asciicast v2 and the traffic as pcapng.
 */

import { writeTrafficCapture } from '../protocol/capture/traffic-writer';
import { toAsciicast } from './asciicast';
import { fromBase64, fromWireEvent, type ReplayData } from './model';

export function terminalCastOf(data: ReplayData, id: string, size: { width?: number; height?: number } = {}): string {
	const term = data.terminals[id];
	const at = (t: number) => data.startUs + t * 1000;
	const output = (term?.output ?? []).map((c) => ({ timeUs: at(c.t), bytes: fromBase64(c.data) }));
	const input = (term?.input ?? []).map((c) => ({ timeUs: at(c.t), bytes: fromBase64(c.data) }));
	return toAsciicast(output, { ...size, input, startUs: data.startUs, title: `${id} terminal, ${data.result.student || data.name}` });
}

export function trafficPcapngOf(data: ReplayData): Uint8Array {
	return writeTrafficCapture(data.traffic.map(fromWireEvent), { comments: [`Recording ${data.name}, student ${data.result.student}`] });
}

/** The file name stem for downloads: the recording's name without .labrec. */
export function stemOf(data: ReplayData): string {
	return data.name.replace(/\.labrec$/, '').replace(/[^A-Za-z0-9._-]+/g, '_') || 'recording';
}
