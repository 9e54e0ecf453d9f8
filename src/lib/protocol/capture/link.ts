/**
 * Link layers down to the IP packet inside: Ethernet (with 802.1Q tags), BSD
 * loopback (what macOS writes for lo0), OpenBSD loopback, Linux cooked
 * captures v1 and v2, and raw IP.
 */

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;
/** Some platforms wrote raw IP with these DLT values in old pcap files. */
const LINKTYPE_RAW_ALT = new Set([12, 14]);

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = new Set([0x8100, 0x88a8, 0x9100]);

export interface LinkLayer {
	/** Short name, as the detail view's first layer shows it. */
	name: string;
	/** Bytes the link header took. */
	headerLength: number;
	/** Labelled fields of the header, for the detail view. */
	fields: Array<[string, string]>;
	/** 4 or 6 when the payload is IP; 0 when it is something else. */
	ipVersion: 0 | 4 | 6;
	/** Why this link frame carries no IP the analysis can read. */
	problem?: string;
}

export function linkTypeName(linkType: number): string {
	switch (linkType) {
		case LINKTYPE_NULL:
			return 'BSD loopback';
		case LINKTYPE_ETHERNET:
			return 'Ethernet';
		case LINKTYPE_RAW:
		case LINKTYPE_IPV4:
		case LINKTYPE_IPV6:
			return 'Raw IP';
		case LINKTYPE_LOOP:
			return 'OpenBSD loopback';
		case LINKTYPE_LINUX_SLL:
			return 'Linux cooked capture v1';
		case LINKTYPE_LINUX_SLL2:
			return 'Linux cooked capture v2';
		default:
			return LINKTYPE_RAW_ALT.has(linkType) ? 'Raw IP' : `link type ${linkType}`;
	}
}

function mac(b: Uint8Array, at: number): string {
	return Array.from(b.subarray(at, at + 6), (x) => x.toString(16).padStart(2, '0')).join(':');
}

function etherIp(type: number): 0 | 4 | 6 {
	return type === ETHERTYPE_IPV4 ? 4 : type === ETHERTYPE_IPV6 ? 6 : 0;
}

function short(name: string, need: number, have: number): LinkLayer {
	return { name, headerLength: have, fields: [], ipVersion: 0, problem: `${name} header needs ${need} bytes, the frame has ${have}` };
}

/** BSD address families that mean IPv6 (NetBSD/OpenBSD, FreeBSD, macOS). */
const AF_INET6 = new Set([24, 28, 30]);

/** Loopback headers differ only by family: one shared, read-only layer per (link type, family). */
const loopbackLayers = new Map<number, LinkLayer>();

export function decodeLink(linkType: number, b: Uint8Array): LinkLayer {
	if ((linkType === LINKTYPE_NULL || linkType === LINKTYPE_LOOP) && b.length >= 4) {
		const key = linkType * 0x1_0000_0000 + (((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0);
		let layer = loopbackLayers.get(key);
		if (layer === undefined) {
			layer = decodeLinkUncached(linkType, b);
			if (loopbackLayers.size < 64) loopbackLayers.set(key, layer);
		}
		return layer;
	}
	return decodeLinkUncached(linkType, b);
}

function decodeLinkUncached(linkType: number, b: Uint8Array): LinkLayer {
	const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
	switch (linkType) {
		case LINKTYPE_NULL:
		case LINKTYPE_LOOP: {
			const name = linkTypeName(linkType);
			if (b.length < 4) return short(name, 4, b.length);
			// NULL stores the family in the capturing host's byte order; LOOP in network order.
			let family = view.getUint32(0, linkType === LINKTYPE_NULL);
			if (linkType === LINKTYPE_NULL && family > 0xffff) family = view.getUint32(0, false);
			const ipVersion = family === 2 ? 4 : AF_INET6.has(family) ? 6 : 0;
			return {
				name,
				headerLength: 4,
				fields: [['Family', `${family} (${ipVersion === 4 ? 'IPv4' : ipVersion === 6 ? 'IPv6' : 'not IP'})`]],
				ipVersion,
				problem: ipVersion === 0 ? `address family ${family} is not IP` : undefined
			};
		}
		case LINKTYPE_ETHERNET: {
			if (b.length < 14) return short('Ethernet', 14, b.length);
			let at = 12;
			let type = view.getUint16(at, false);
			const fields: Array<[string, string]> = [
				['Destination', mac(b, 0)],
				['Source', mac(b, 6)]
			];
			while (ETHERTYPE_VLAN.has(type) && at + 6 <= b.length) {
				fields.push(['VLAN', String(view.getUint16(at + 2, false) & 0x0fff)]);
				at += 4;
				type = view.getUint16(at, false);
			}
			fields.push(['Type', `0x${type.toString(16).padStart(4, '0')}`]);
			const ipVersion = etherIp(type);
			return { name: 'Ethernet II', headerLength: at + 2, fields, ipVersion, problem: ipVersion ? undefined : `EtherType 0x${type.toString(16)} is not IP` };
		}
		case LINKTYPE_LINUX_SLL: {
			if (b.length < 16) return short('Linux cooked capture v1', 16, b.length);
			const type = view.getUint16(14, false);
			const ipVersion = etherIp(type);
			return {
				name: 'Linux cooked capture v1',
				headerLength: 16,
				fields: [
					['Packet type', String(view.getUint16(0, false))],
					['Protocol', `0x${type.toString(16).padStart(4, '0')}`]
				],
				ipVersion,
				problem: ipVersion ? undefined : `protocol 0x${type.toString(16)} is not IP`
			};
		}
		case LINKTYPE_LINUX_SLL2: {
			if (b.length < 20) return short('Linux cooked capture v2', 20, b.length);
			const type = view.getUint16(0, false);
			const ipVersion = etherIp(type);
			return {
				name: 'Linux cooked capture v2',
				headerLength: 20,
				fields: [
					['Protocol', `0x${type.toString(16).padStart(4, '0')}`],
					['Interface index', String(view.getUint32(4, false))],
					['Packet type', String(b[10])]
				],
				ipVersion,
				problem: ipVersion ? undefined : `protocol 0x${type.toString(16)} is not IP`
			};
		}
		default: {
			const raw = linkType === LINKTYPE_RAW || linkType === LINKTYPE_IPV4 || linkType === LINKTYPE_IPV6 || LINKTYPE_RAW_ALT.has(linkType);
			if (!raw) {
				return { name: linkTypeName(linkType), headerLength: 0, fields: [], ipVersion: 0, problem: `link type ${linkType} is not supported` };
			}
			const v = b.length > 0 ? b[0] >> 4 : 0;
			const ipVersion = v === 4 ? 4 : v === 6 ? 6 : 0;
			return { name: 'Raw IP', headerLength: 0, fields: [], ipVersion, problem: ipVersion ? undefined : `IP version ${v} is not 4 or 6` };
		}
	}
}
