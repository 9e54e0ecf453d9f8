/**
 * IPv4 (RFC 791) and IPv6 (RFC 8200) headers: decoding down to the transport
 * payload, and building them for the writer.
 */

export const IPPROTO_TCP = 6;

export interface IpLayer {
	version: 4 | 6;
	source: string;
	destination: string;
	/** Transport protocol number (after IPv6 extension headers). */
	protocol: number;
	headerLength: number;
	/** The transport bytes (cut to the IP total/payload length). */
	payload: Uint8Array;
	ttl: number;
	/** Set when this is a fragment other than a complete datagram. */
	fragment: boolean;
	/** Labelled header fields for the detail view (built on first use). */
	readonly fields: Array<[string, string]>;
	problem?: string;
}

/**
 * A decoded IP header. `fields` (the detail view's labelled values) is worked
 * out from the header bytes on first use, so listing thousands of frames does
 * not pay for strings only the detail view shows.
 */
class DecodedIp implements IpLayer {
	private cached: Array<[string, string]> | undefined;
	constructor(
		readonly version: 4 | 6,
		readonly source: string,
		readonly destination: string,
		readonly protocol: number,
		readonly headerLength: number,
		readonly payload: Uint8Array,
		readonly ttl: number,
		readonly fragment: boolean,
		/** The fixed header (20 bytes for IPv4, 40 for IPv6). */
		private readonly header: Uint8Array
	) {}

	get fields(): Array<[string, string]> {
		return (this.cached ??= this.version === 4 ? ipv4Fields(this.header) : ipv6Fields(this.header, this.protocol));
	}
}

const u16 = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];

function ipv4Fields(b: Uint8Array): Array<[string, string]> {
	const flagsFrag = u16(b, 6);
	return [
		['Header length', `${(b[0] & 0x0f) * 4} bytes`],
		['Total length', String(u16(b, 2))],
		['Identification', `0x${u16(b, 4).toString(16).padStart(4, '0')}`],
		['Flags', `0x${(flagsFrag >> 13).toString(16)}${flagsFrag & 0x4000 ? " (Don't fragment)" : ''}`],
		['Time to live', String(b[8])],
		['Protocol', b[9] === IPPROTO_TCP ? 'TCP (6)' : String(b[9])]
	];
}

function ipv6Fields(b: Uint8Array, next: number): Array<[string, string]> {
	return [
		['Payload length', String(u16(b, 4))],
		['Next header', next === IPPROTO_TCP ? 'TCP (6)' : String(next)],
		['Hop limit', String(b[7])]
	];
}

export function ipv4String(b: Uint8Array, at: number): string {
	const key = ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
	// A capture holds a handful of addresses: the last two are kept, saving a string per frame.
	if (key === lastV4[0]) return lastV4Text[0];
	if (key === lastV4[1]) return lastV4Text[1];
	const text = `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
	lastV4[1] = lastV4[0];
	lastV4Text[1] = lastV4Text[0];
	lastV4[0] = key;
	lastV4Text[0] = text;
	return text;
}

const lastV4 = [-1, -1];
const lastV4Text = ['', ''];

/** RFC 5952 text form: lower case, longest zero run (of two or more) as `::`. */
export function ipv6String(b: Uint8Array, at: number): string {
	const groups: number[] = [];
	for (let i = 0; i < 8; i++) groups.push((b[at + 2 * i] << 8) | b[at + 2 * i + 1]);
	let bestStart = -1;
	let bestLen = 1;
	for (let i = 0; i < 8; ) {
		if (groups[i] !== 0) {
			i++;
			continue;
		}
		let j = i;
		while (j < 8 && groups[j] === 0) j++;
		if (j - i > bestLen) {
			bestStart = i;
			bestLen = j - i;
		}
		i = j;
	}
	const hex = groups.map((g) => g.toString(16));
	if (bestStart < 0) return hex.join(':');
	return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

function problem(version: 4 | 6, message: string): IpLayer {
	return { version, source: '?', destination: '?', protocol: -1, headerLength: 0, payload: new Uint8Array(0), ttl: 0, fragment: false, fields: [], problem: message };
}

export function decodeIp(version: 4 | 6, b: Uint8Array): IpLayer {
	return version === 4 ? decodeIpv4(b) : decodeIpv6(b);
}

function decodeIpv4(b: Uint8Array): IpLayer {
	if (b.length < 20) return problem(4, `IPv4 header needs 20 bytes, ${b.length} were captured`);
	const ihl = (b[0] & 0x0f) * 4;
	if (b[0] >> 4 !== 4 || ihl < 20) return problem(4, `bad IPv4 version/header length byte 0x${b[0].toString(16)}`);
	if (ihl > b.length) return problem(4, `IPv4 header length ${ihl} exceeds the ${b.length} captured bytes`);
	const total = u16(b, 2);
	const flagsFrag = u16(b, 6);
	const moreFragments = (flagsFrag & 0x2000) !== 0;
	const offset = flagsFrag & 0x1fff;
	// Some capture stacks (TSO) record total length 0; then take what was captured.
	const end = total >= ihl ? Math.min(total, b.length) : b.length;
	return new DecodedIp(4, ipv4String(b, 12), ipv4String(b, 16), b[9], ihl, b.subarray(ihl, end), b[8], moreFragments || offset !== 0, b.subarray(0, 20));
}

function decodeIpv6(b: Uint8Array): IpLayer {
	if (b.length < 40) return problem(6, `IPv6 header needs 40 bytes, ${b.length} were captured`);
	const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
	const payloadLength = view.getUint16(4, false);
	let next = b[6];
	let at = 40;
	let fragment = false;
	// Walk extension headers (RFC 8200 section 4): hop-by-hop, routing, fragment, destination options.
	while (next === 0 || next === 43 || next === 44 || next === 60) {
		if (at + 8 > b.length) return problem(6, 'IPv6 extension header is cut off');
		const following = b[at];
		if (next === 44) {
			const fo = view.getUint16(at + 2, false);
			if ((fo & 0xfff8) !== 0 || (fo & 1) !== 0) fragment = true;
			at += 8;
		} else {
			at += (b[at + 1] + 1) * 8;
		}
		next = following;
	}
	const end = Math.min(40 + payloadLength, b.length);
	if (at > end) return problem(6, 'IPv6 extension headers run past the payload');
	return new DecodedIp(6, ipv6String(b, 8), ipv6String(b, 24), next, at, b.subarray(at, end), b[7], fragment, b.subarray(0, 40));
}

/** Parses a textual IPv4 or IPv6 address into bytes, or null. IPv4-mapped IPv6 comes back as IPv4. */
export function parseAddress(address: string): Uint8Array | null {
	let a = address.trim();
	if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
	const zone = a.indexOf('%');
	if (zone >= 0) a = a.slice(0, zone);
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
	if (mapped) a = mapped[1];
	const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
	if (v4) {
		const parts = v4.slice(1).map(Number);
		return parts.every((p) => p <= 255) ? Uint8Array.from(parts) : null;
	}
	if (!a.includes(':')) return null;
	const halves = a.split('::');
	if (halves.length > 2) return null;
	const parse = (s: string) => (s === '' ? [] : s.split(':'));
	const head = parse(halves[0]);
	const tail = halves.length === 2 ? parse(halves[1]) : [];
	const missing = 8 - head.length - tail.length;
	if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
	const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
	const out = new Uint8Array(16);
	for (let i = 0; i < 8; i++) {
		if (!/^[0-9a-f]{1,4}$/i.test(groups[i])) return null;
		const g = parseInt(groups[i], 16);
		out[2 * i] = g >> 8;
		out[2 * i + 1] = g & 0xff;
	}
	return out;
}

/** One's-complement sum of the 16-bit words of `b[from..to)` (RFC 1071), not yet folded. */
export function sum16(b: Uint8Array, initial = 0, from = 0, to = b.length): number {
	let sum = initial;
	const n = from + ((to - from) & ~1);
	for (let i = from; i < n; i += 2) sum += (b[i] << 8) | b[i + 1];
	if ((to - from) & 1) sum += b[to - 1] << 8;
	return sum;
}

export function fold16(sum: number): number {
	let s = sum;
	while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
	return ~s & 0xffff;
}

/** Bytes of the IP header `writeIpHeader` writes (v4 or v6 by address length). */
export function ipHeaderLength(source: Uint8Array): number {
	return source.length === 4 ? 20 : 40;
}

/**
 * Writes an IP header (v4 or v6 by address length) into `out` at `at`, for a
 * payload of `payloadLength` bytes that follows it, with a correct IPv4
 * checksum. `out` must be zero where the header goes.
 */
export function writeIpHeader(out: Uint8Array, at: number, source: Uint8Array, destination: Uint8Array, protocol: number, payloadLength: number, id: number): void {
	if (source.length === 4) {
		const total = 20 + payloadLength;
		out[at] = 0x45;
		out[at + 2] = (total >>> 8) & 0xff;
		out[at + 3] = total & 0xff;
		out[at + 4] = (id >>> 8) & 0xff;
		out[at + 5] = id & 0xff;
		out[at + 6] = 0x40; // don't fragment
		out[at + 8] = 64;
		out[at + 9] = protocol;
		out.set(source, at + 12);
		out.set(destination, at + 16);
		const checksum = fold16(sum16(out, 0, at, at + 20));
		out[at + 10] = checksum >>> 8;
		out[at + 11] = checksum & 0xff;
		return;
	}
	out[at] = 0x60;
	out[at + 4] = (payloadLength >>> 8) & 0xff;
	out[at + 5] = payloadLength & 0xff;
	out[at + 6] = protocol;
	out[at + 7] = 64;
	out.set(source, at + 8);
	out.set(destination, at + 24);
}
