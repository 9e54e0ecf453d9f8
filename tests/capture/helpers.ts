/** Shared helpers for the capture tests: build captures from synthetic frames, ask tshark. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PcapngWriter } from '../../src/lib/protocol/capture/pcapng-writer';
import { LINKTYPE_NULL } from '../../src/lib/protocol/capture/link';
import { TcpSynthesizer, type SynthPacket } from '../../src/lib/protocol/capture/synth';
import { readCapture } from '../../src/lib/protocol/capture/read';
import { analyzeCapture } from '../../src/lib/protocol/analysis/frames';
import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';
import { concatBytes } from '../../src/lib/protocol/index';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const HOMEPAGE = path.resolve(ROOT, '../shared/captures/homepage_coffee.pcapng');
export const FIXTURES = path.join(ROOT, 'tests/fixtures/captures');
export const TSHARK = '/usr/bin/tshark';
export const hasTshark = existsSync(TSHARK);
if (!hasTshark) console.log('tshark is not installed at /usr/bin/tshark: the tshark cross-checks are skipped');

export function synthPackets(events: TrafficEvent[], mss = 1460, isn?: (c: number, s: 'client' | 'server') => number): SynthPacket[] {
	const s = new TcpSynthesizer({ mss, isn });
	return events.flatMap((e) => s.push(e));
}

export function pcapngOf(packets: SynthPacket[]): Uint8Array {
	const w = new PcapngWriter({ linkType: LINKTYPE_NULL, interfaceName: 'lo0' });
	return concatBytes([...w.header(), ...packets.map((p) => w.packet(p.timeUs, p.frame, p.comment))]);
}

export function analyzeBytes(bytes: Uint8Array) {
	const file = readCapture(bytes);
	return { file, analysis: analyzeCapture(file) };
}

/** tshark -T fields output, one array per frame. */
export function tsharkFields(file: string, fields: string[], filter?: string): string[][] {
	const args = ['-r', file, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])];
	if (filter) args.push('-Y', filter);
	const out = execFileSync(TSHARK, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
	return out.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
}

export function tsharkRun(args: string[]): { stdout: string; stderr: string; status: number | null } {
	const r = spawnSync(TSHARK, args, { encoding: 'utf8' });
	return { stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => l && !l.includes('Running as user')).join('\n'), status: r.status };
}

export const T0 = 1_700_000_000_000_000;
export const enc = (s: string) => new TextEncoder().encode(s);

export function openEvent(conn: number, t = T0, cport = 40000 + conn, sport = 5030): TrafficEvent {
	return { type: 'open', conn, timeUs: t, client: { address: '127.0.0.1', port: cport }, server: { address: '127.0.0.1', port: sport } };
}
