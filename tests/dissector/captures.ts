/**
 * Test helper: writes pcapng captures of TCP exchanges with text2pcap (which
 * adds Ethernet, IPv4 and TCP headers with running sequence numbers) and
 * joins them, one connection after another, with mergecap.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MERGECAP, TEXT2PCAP, run } from './tshark';

export interface Segment {
	from: 'client' | 'server';
	bytes: Uint8Array;
}

export interface Flow {
	clientPort: number;
	serverPort: number;
	segments: Segment[];
}

const CLIENT_IP = '10.20.30.1';
const SERVER_IP = '10.20.30.2';

/**
 * text2pcap's hexdump input: each packet starts at offset 0, 16 bytes a line.
 * With -D, a leading `I` keeps the -4/-T addresses and ports as given (client
 * to server) and `O` swaps them (server to client).
 */
function hexdump(segments: readonly Segment[]): string {
	let out = '';
	for (const segment of segments) {
		for (let at = 0; at < segment.bytes.length; at += 16) {
			const prefix = at === 0 ? (segment.from === 'client' ? 'I ' : 'O ') : '';
			const hex = Array.from(segment.bytes.subarray(at, at + 16), (b) => b.toString(16).padStart(2, '0')).join(' ');
			out += `${prefix}${at.toString(16).padStart(6, '0')} ${hex}\n`;
		}
	}
	return out;
}

async function checked(command: string, args: string[]): Promise<void> {
	const result = await run(command, args);
	if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.code}):\n${result.stderr}`);
}

/**
 * Writes `flows` to `file` (pcapng), one frame per segment, flow after flow.
 * Returns each segment's frame number: `frames[flow][segment]`.
 */
export async function writeCapture(dir: string, file: string, flows: readonly Flow[]): Promise<number[][]> {
	const parts: string[] = [];
	const frames: number[][] = [];
	let next = 1;
	await Promise.all(
		flows.map(async (flow, i) => {
			const text = path.join(dir, `flow-${i}.txt`);
			const part = path.join(dir, `flow-${i}.pcapng`);
			parts[i] = part;
			await writeFile(text, hexdump(flow.segments));
			await checked(TEXT2PCAP, [
				'-q',
				'-D',
				'-4',
				`${CLIENT_IP},${SERVER_IP}`,
				'-T',
				`${flow.clientPort},${flow.serverPort}`,
				text,
				part
			]);
		})
	);
	for (const flow of flows) {
		frames.push(flow.segments.map(() => next++));
	}
	await checked(MERGECAP, ['-a', '-F', 'pcapng', '-w', file, ...parts]);
	return frames;
}
