/**
 * What the capture readers hand to the analysis: packets with their
 * interface, link type and timestamp, plus the first damage found (if any).
 * No Node or DOM APIs: this runs in the browser too.
 */

export interface CaptureInterface {
	/** Index within its section (pcapng) or 0 (pcap). */
	id: number;
	/** Which section header block it belongs to (0 for pcap). */
	section: number;
	linkType: number;
	snapLength: number;
	name?: string;
	description?: string;
	/** Timestamp units per second (1e6 by default, 1e9 for nanosecond files). */
	unitsPerSecond: bigint;
	/** Seconds added to every timestamp (pcapng if_tsoffset). */
	offsetSeconds: bigint;
}

export interface CapturedPacket {
	/** 1-based, in file order: the number Wireshark shows. */
	number: number;
	interface: CaptureInterface;
	/** Seconds since the Unix epoch and the nanoseconds within that second. */
	seconds: number;
	nanos: number;
	capturedLength: number;
	originalLength: number;
	data: Uint8Array;
	/** Where the packet's block or record starts in the file. */
	fileOffset: number;
	comments: string[];
}

export interface CaptureSection {
	comments: string[];
	hardware?: string;
	os?: string;
	application?: string;
}

export type CaptureErrorCode =
	| 'CAPTURE_ERR_NOT_A_CAPTURE'
	| 'CAPTURE_ERR_TRUNCATED'
	| 'CAPTURE_ERR_CORRUPT'
	| 'CAPTURE_ERR_UNSUPPORTED';

/** Damage in a capture file: what is wrong and the byte where it was found. */
export class CaptureError extends Error {
	readonly code: CaptureErrorCode;
	readonly offset: number;

	constructor(code: CaptureErrorCode, message: string, offset: number) {
		super(message);
		this.name = 'CaptureError';
		this.code = code;
		this.offset = offset;
	}
}

export interface CaptureFile {
	format: 'pcapng' | 'pcap';
	/** Byte order of the (first) section or file header. */
	littleEndian: boolean;
	interfaces: CaptureInterface[];
	sections: CaptureSection[];
	/** Every packet read before the damage (if any). */
	packets: CapturedPacket[];
	/** The first problem found; reading stopped there. */
	error?: CaptureError;
}

/** Splits a timestamp in units into whole seconds and nanoseconds. */
export function splitTimestamp(units: bigint, unitsPerSecond: bigint, offsetSeconds: bigint): [number, number] {
	const seconds = units / unitsPerSecond + offsetSeconds;
	const rest = units % unitsPerSecond;
	const nanos = unitsPerSecond === 1_000_000_000n ? rest : (rest * 1_000_000_000n) / unitsPerSecond;
	return [Number(seconds), Number(nanos)];
}
