/**
 * Regenerates the small capture fixtures in tests/fixtures/captures/ with
 * Wireshark's own tools (text2pcap, editcap), so the readers are tested on
 * files Wireshark wrote. Run: npx tsx tests/capture/make-fixtures.ts
 * (loopback-http-https.pcapng itself was captured with
 * `tshark -i lo -f 'tcp port 18481 or tcp port 18482' -w ...` while curl
 * fetched from a tiny node HTTP and HTTPS server.)
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { TcpSynthesizer } from '../../src/lib/protocol/capture/synth';
import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';
import { utf8 } from '../../src/lib/protocol/index';

const DIR = path.resolve(import.meta.dirname, '../fixtures/captures');

export function exchange(client: string, server: string): TrafficEvent[] {
	const t = 1_700_000_000_000_000;
	return [
		{ type: 'open', conn: 1, timeUs: t, client: { address: client, port: 40000 }, server: { address: server, port: 5030 } },
		{
			type: 'data', conn: 1, timeUs: t + 1000, from: 'client',
			bytes: utf8('BREW coffee://ducky HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\nContent-Length: 5\r\n\r\nstart')
		},
		{ type: 'data', conn: 1, timeUs: t + 2000, from: 'server', bytes: utf8('HTCPCP/1.1 200 OK\r\nServer: CoffeePot\r\nContent-Type: message/coffeepot\r\nContent-Length: 8\r\n\r\nbrewing!') },
		{ type: 'end', conn: 1, timeUs: t + 3000, from: 'server' },
		{ type: 'close', conn: 1, timeUs: t + 4000 }
	];
}

function linkHeader(linkType: number, v6: boolean): Uint8Array {
	const ethertype = v6 ? [0x86, 0xdd] : [0x08, 0x00];
	if (linkType === 113) return Uint8Array.from([0, 0, 0, 772 >> 8, 772 & 0xff, 0, 6, 0, 0, 0, 0, 0, 0, 0, ...ethertype]);
	if (linkType === 276) return Uint8Array.from([...ethertype, 0, 0, 0, 0, 0, 1, 3, 4, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0]);
	if (linkType === 0) return Uint8Array.from(v6 ? [30, 0, 0, 0] : [2, 0, 0, 0]);
	return new Uint8Array(0);
}

function hexdump(packets: Uint8Array[]): string {
	let out = '';
	for (const p of packets) {
		for (let i = 0; i < p.length; i += 16) {
			const row = Array.from(p.subarray(i, i + 16), (b) => b.toString(16).padStart(2, '0')).join(' ');
			out += `${i.toString(16).padStart(6, '0')} ${row}\n`;
		}
		out += '\n';
	}
	return out;
}

function viaText2pcap(name: string, linkType: number, v6: boolean, extra: string[] = []): void {
	const synth = new TcpSynthesizer();
	const ips = exchange(v6 ? '::1' : '127.0.0.1', v6 ? '::1' : '127.0.0.1')
		.flatMap((e) => synth.push(e))
		.map((p) => p.frame.subarray(4));
	const frames = ips.map((ip) => {
		const h = linkHeader(linkType, v6);
		const f = new Uint8Array(h.length + ip.length);
		f.set(h);
		f.set(ip, h.length);
		return f;
	});
	const txt = path.join(DIR, `${name}.txt`);
	writeFileSync(txt, hexdump(frames));
	const format = name.endsWith('.pcapng') ? 'pcapng' : 'pcap';
	execFileSync('text2pcap', ['-q', '-F', format, '-l', String(linkType), ...extra, txt, path.join(DIR, name)]);
	execFileSync('rm', [txt]);
}

if (process.argv[1] === import.meta.filename) {
	viaText2pcap('sll.pcap', 113, false);
	viaText2pcap('sll2.pcapng', 276, false);
	viaText2pcap('rawip.pcap', 101, false);
	viaText2pcap('null-ipv6.pcap', 0, true);
	viaText2pcap('sll-ipv6.pcap', 113, true);
	const src = path.join(DIR, 'loopback-http-https.pcapng');
	execFileSync('editcap', ['-F', 'pcap', src, path.join(DIR, 'loopback-http-https.pcap')]);
	execFileSync('editcap', ['-F', 'nsecpcap', src, path.join(DIR, 'loopback-http-https.nsec.pcap')]);
	console.log('fixtures written to', DIR);
}
