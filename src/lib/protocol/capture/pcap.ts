/**
 * Classic libpcap files: a 24-byte file header, then per packet a 16-byte
 * record header and the captured bytes. Both byte orders; the magic number
 * says which, and whether the sub-second field counts micro- or nanoseconds.
 */

import { CaptureError, splitTimestamp, type CaptureFile, type CaptureInterface, type CapturedPacket } from './types';

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
const FILE_HEADER = 24;
const RECORD_HEADER = 16;
/** No real link layer frame comes near this; a larger length means a corrupt record. */
const MAX_RECORD = 256 * 1024 * 1024;

export function isPcap(bytes: Uint8Array): boolean {
	if (bytes.length < 4) return false;
	const view = new DataView(bytes.buffer, bytes.byteOffset, 4);
	const be = view.getUint32(0, false);
	const le = view.getUint32(0, true);
	return be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS || le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS;
}

export function readPcap(bytes: Uint8Array): CaptureFile {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const file: CaptureFile = { format: 'pcap', littleEndian: true, interfaces: [], sections: [], packets: [] };
	if (bytes.length < FILE_HEADER) {
		file.error = new CaptureError(
			'CAPTURE_ERR_TRUNCATED',
			`the pcap file header needs ${FILE_HEADER} bytes but the file has ${bytes.length}`,
			bytes.length
		);
		return file;
	}
	const magicLe = view.getUint32(0, true);
	const le = magicLe === PCAP_MAGIC_US || magicLe === PCAP_MAGIC_NS;
	const magic = view.getUint32(0, le);
	file.littleEndian = le;
	const nanosecond = magic === PCAP_MAGIC_NS;
	const snapLength = view.getUint32(16, le);
	// The low 16 bits are the link type; the upper bits may carry FCS length flags.
	const linkType = view.getUint32(20, le) & 0xffff;
	const iface: CaptureInterface = {
		id: 0,
		section: 0,
		linkType,
		snapLength,
		unitsPerSecond: nanosecond ? 1_000_000_000n : 1_000_000n,
		offsetSeconds: 0n
	};
	file.interfaces.push(iface);
	file.sections.push({ comments: [] });

	let at = FILE_HEADER;
	while (at < bytes.length) {
		if (bytes.length - at < RECORD_HEADER) {
			file.error = new CaptureError(
				'CAPTURE_ERR_TRUNCATED',
				`packet record ${file.packets.length + 1} is cut off: its 16-byte header has only ${bytes.length - at} bytes`,
				at
			);
			break;
		}
		const sec = view.getUint32(at, le);
		const frac = view.getUint32(at + 4, le);
		const caplen = view.getUint32(at + 8, le);
		const origlen = view.getUint32(at + 12, le);
		if (caplen > MAX_RECORD || (nanosecond ? frac >= 1e9 : frac >= 1e6)) {
			file.error = new CaptureError(
				'CAPTURE_ERR_CORRUPT',
				`packet record ${file.packets.length + 1} is corrupt: ${caplen > MAX_RECORD ? `captured length ${caplen} is impossible` : `sub-second field ${frac} is out of range`}`,
				at
			);
			break;
		}
		if (at + RECORD_HEADER + caplen > bytes.length) {
			file.error = new CaptureError(
				'CAPTURE_ERR_TRUNCATED',
				`packet record ${file.packets.length + 1} is cut off: it says ${caplen} bytes but only ${bytes.length - at - RECORD_HEADER} remain`,
				at
			);
			break;
		}
		const [seconds, nanos] = splitTimestamp(
			BigInt(sec) * iface.unitsPerSecond + BigInt(frac),
			iface.unitsPerSecond,
			0n
		);
		const packet: CapturedPacket = {
			number: file.packets.length + 1,
			interface: iface,
			seconds,
			nanos,
			capturedLength: caplen,
			originalLength: origlen,
			data: bytes.subarray(at + RECORD_HEADER, at + RECORD_HEADER + caplen),
			fileOffset: at,
			comments: []
		};
		file.packets.push(packet);
		at += RECORD_HEADER + caplen;
	}
	return file;
}
