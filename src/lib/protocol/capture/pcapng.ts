/**
 * pcapng files (the IETF draft "PCAP Next Generation Dump File Format"): a
 * sequence of blocks, each `type, total length, body, total length`. A
 * Section Header Block starts each section and fixes its byte order; Interface
 * Description Blocks define the section's interfaces; Enhanced, Simple and the
 * obsolete Packet blocks carry frames. Every other block (name resolution,
 * statistics, decryption secrets, custom, journal) is skipped by its length.
 */

import { text } from '../bytes';
import {
	CaptureError,
	splitTimestamp,
	type CaptureFile,
	type CaptureInterface,
	type CaptureSection,
	type CapturedPacket
} from './types';

export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 0x00000001;
export const BLOCK_PB = 0x00000002;
export const BLOCK_SPB = 0x00000003;
export const BLOCK_EPB = 0x00000006;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const OPT_END = 0;
const OPT_COMMENT = 1;

export function isPcapng(bytes: Uint8Array): boolean {
	return bytes.length >= 4 && bytes[0] === 0x0a && bytes[1] === 0x0d && bytes[2] === 0x0d && bytes[3] === 0x0a;
}

interface Option {
	code: number;
	value: Uint8Array;
}

/** Reads `code, length, value (padded to 4)` options until opt_endofopt or the end. */
function readOptions(view: DataView, bytes: Uint8Array, from: number, to: number, le: boolean): Option[] {
	const out: Option[] = [];
	let at = from;
	while (at + 4 <= to) {
		const code = view.getUint16(at, le);
		const length = view.getUint16(at + 2, le);
		if (code === OPT_END) break;
		if (at + 4 + length > to) {
			throw new CaptureError('CAPTURE_ERR_CORRUPT', `option ${code} runs past the end of its block`, at);
		}
		out.push({ code, value: bytes.subarray(at + 4, at + 4 + length) });
		at += 4 + ((length + 3) & ~3);
	}
	return out;
}

function unitsPerSecond(tsresol: number): bigint {
	// RFC draft section 4.2: high bit clear means 10^-n, set means 2^-n.
	const n = BigInt(tsresol & 0x7f);
	return tsresol & 0x80 ? 1n << n : 10n ** n;
}

export function readPcapng(bytes: Uint8Array): CaptureFile {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const file: CaptureFile = { format: 'pcapng', littleEndian: true, interfaces: [], sections: [], packets: [] };
	let le = true;
	let sectionInterfaces: CaptureInterface[] = [];
	let section: CaptureSection | null = null;
	let at = 0;
	try {
		while (at < bytes.length) {
			if (bytes.length - at < 12) {
				throw new CaptureError(
					'CAPTURE_ERR_TRUNCATED',
					`a block is cut off: only ${bytes.length - at} bytes remain, a block needs at least 12`,
					at
				);
			}
			let type = view.getUint32(at, le);
			if (type === BLOCK_SHB) {
				const magicLe = view.getUint32(at + 8, true);
				if (magicLe === BYTE_ORDER_MAGIC) le = true;
				else if (view.getUint32(at + 8, false) === BYTE_ORDER_MAGIC) le = false;
				else {
					throw new CaptureError(
						'CAPTURE_ERR_CORRUPT',
						`section header has byte-order magic 0x${magicLe.toString(16)}, expected 1a2b3c4d`,
						at + 8
					);
				}
				if (file.sections.length === 0) file.littleEndian = le;
				type = BLOCK_SHB;
			} else if (section === null) {
				throw new CaptureError('CAPTURE_ERR_CORRUPT', 'the file does not start with a section header block', at);
			}
			const length = view.getUint32(at + 4, le);
			if (length < 12 || length % 4 !== 0) {
				throw new CaptureError(
					'CAPTURE_ERR_CORRUPT',
					`block of type 0x${type.toString(16)} has length ${length} (must be a multiple of 4, at least 12)`,
					at + 4
				);
			}
			if (at + length > bytes.length) {
				throw new CaptureError(
					'CAPTURE_ERR_TRUNCATED',
					`block of type 0x${type.toString(16)} is cut off: it says ${length} bytes but only ${bytes.length - at} remain`,
					at
				);
			}
			const trailer = view.getUint32(at + length - 4, le);
			if (trailer !== length) {
				throw new CaptureError(
					'CAPTURE_ERR_CORRUPT',
					`block of type 0x${type.toString(16)} has length ${length} at its start but ${trailer} at its end`,
					at + length - 4
				);
			}
			const body = at + 8;
			const end = at + length - 4;
			switch (type) {
				case BLOCK_SHB: {
					if (length < 28) throw new CaptureError('CAPTURE_ERR_CORRUPT', 'section header block is too short', at);
					const major = view.getUint16(body + 4, le);
					if (major !== 1) {
						throw new CaptureError('CAPTURE_ERR_UNSUPPORTED', `pcapng major version ${major} is not supported (1 only)`, body + 4);
					}
					section = { comments: [] };
					for (const o of readOptions(view, bytes, body + 16, end, le)) {
						if (o.code === OPT_COMMENT) section.comments.push(text(o.value));
						else if (o.code === 2) section.hardware = text(o.value);
						else if (o.code === 3) section.os = text(o.value);
						else if (o.code === 4) section.application = text(o.value);
					}
					file.sections.push(section);
					sectionInterfaces = [];
					break;
				}
				case BLOCK_IDB: {
					if (length < 20) throw new CaptureError('CAPTURE_ERR_CORRUPT', 'interface description block is too short', at);
					const iface: CaptureInterface = {
						id: sectionInterfaces.length,
						section: file.sections.length - 1,
						linkType: view.getUint16(body, le),
						snapLength: view.getUint32(body + 4, le),
						unitsPerSecond: 1_000_000n,
						offsetSeconds: 0n
					};
					for (const o of readOptions(view, bytes, body + 8, end, le)) {
						if (o.code === 2) iface.name = text(o.value);
						else if (o.code === 3) iface.description = text(o.value);
						else if (o.code === 9 && o.value.length >= 1) iface.unitsPerSecond = unitsPerSecond(o.value[0]);
						else if (o.code === 14 && o.value.length >= 8) {
							iface.offsetSeconds = new DataView(o.value.buffer, o.value.byteOffset, 8).getBigInt64(0, le);
						}
					}
					if (iface.unitsPerSecond === 0n) iface.unitsPerSecond = 1_000_000n;
					sectionInterfaces.push(iface);
					file.interfaces.push(iface);
					break;
				}
				case BLOCK_EPB:
				case BLOCK_PB: {
					const enhanced = type === BLOCK_EPB;
					if (length < 32) throw new CaptureError('CAPTURE_ERR_CORRUPT', 'packet block is too short', at);
					const id = enhanced ? view.getUint32(body, le) : view.getUint16(body, le);
					const iface = sectionInterfaces[id];
					if (!iface) {
						throw new CaptureError(
							'CAPTURE_ERR_CORRUPT',
							`packet block names interface ${id} but the section defines ${sectionInterfaces.length}`,
							body
						);
					}
					const high = view.getUint32(body + 4, le);
					const low = view.getUint32(body + 8, le);
					const caplen = view.getUint32(body + 12, le);
					const origlen = view.getUint32(body + 16, le);
					const dataStart = body + 20;
					if (dataStart + caplen > end) {
						throw new CaptureError(
							'CAPTURE_ERR_CORRUPT',
							`packet block says ${caplen} captured bytes but the block holds ${end - dataStart}`,
							body + 12
						);
					}
					const optionsAt = dataStart + ((caplen + 3) & ~3);
					const comments: string[] = [];
					if (optionsAt + 4 <= end) {
						for (const o of readOptions(view, bytes, optionsAt, end, le)) if (o.code === OPT_COMMENT) comments.push(text(o.value));
					}
					const [seconds, nanos] = timestampOf(high, low, iface);
					file.packets.push(packetOf(file, iface, seconds, nanos, caplen, origlen, bytes.subarray(dataStart, dataStart + caplen), at, comments));
					break;
				}
				case BLOCK_SPB: {
					const iface = sectionInterfaces[0];
					if (!iface) throw new CaptureError('CAPTURE_ERR_CORRUPT', 'simple packet block before any interface', at);
					const origlen = view.getUint32(body, le);
					let caplen = Math.min(origlen, end - body - 4);
					if (iface.snapLength > 0) caplen = Math.min(caplen, iface.snapLength);
					// A simple packet block has no timestamp; Wireshark shows it as time 0.
					file.packets.push(packetOf(file, iface, 0, 0, caplen, origlen, bytes.subarray(body + 4, body + 4 + caplen), at, []));
					break;
				}
				default:
					// Name resolution, statistics, decryption secrets, custom blocks...: not needed here.
					break;
			}
			at += length;
		}
	} catch (e) {
		if (!(e instanceof CaptureError)) throw e;
		file.error = e;
	}
	return file;
}

/**
 * `splitTimestamp` without BigInt for the usual case (microsecond or coarser
 * units, no offset, value below 2^53): the same whole seconds and nanoseconds.
 */
function timestampOf(high: number, low: number, iface: CaptureInterface): [number, number] {
	const ups = iface.unitsPerSecond;
	if (high < 0x200000 && ups <= 1_000_000n && iface.offsetSeconds === 0n) {
		const per = Number(ups);
		const units = high * 0x1_0000_0000 + low;
		let seconds = Math.floor(units / per);
		let rest = units - seconds * per;
		// The division is rounded; the remainder is exact and puts it right.
		if (rest < 0) {
			seconds--;
			rest += per;
		} else if (rest >= per) {
			seconds++;
			rest -= per;
		}
		return [seconds, Math.floor((rest * 1_000_000_000) / per)];
	}
	return splitTimestamp((BigInt(high) << 32n) | BigInt(low), ups, iface.offsetSeconds);
}

function packetOf(
	file: CaptureFile,
	iface: CaptureInterface,
	seconds: number,
	nanos: number,
	capturedLength: number,
	originalLength: number,
	data: Uint8Array,
	fileOffset: number,
	comments: string[]
): CapturedPacket {
	return {
		number: file.packets.length + 1,
		interface: iface,
		seconds,
		nanos,
		capturedLength,
		originalLength,
		data,
		fileOffset,
		comments
	};
}
