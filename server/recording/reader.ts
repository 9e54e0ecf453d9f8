/**
 * Splits `.labrec` bytes into frames without judging them: the verifier
 * (verify.ts) decides what the frames prove. Parsing stops at the first frame
 * that cannot be framed (a cut-off tail or a damaged length field).
 */

import {
	FLAG_DEFLATE,
	HASH_BYTES,
	HEADER_BYTES,
	MAGIC,
	MAX_FRAME_BYTES,
	MIN_FRAME_BYTES,
	decodePayload,
	decompress,
	recordTypeName,
	sha256,
	type LabRecord
} from './format';

export interface Frame {
	/** Byte offset of the frame's length field in the file. */
	offset: number;
	/** Whole frame, length field to hash. */
	bytes: Uint8Array;
	seq: number;
	timeUs: number;
	typeCode: number;
	flags: number;
	prevHash: Uint8Array;
	payload: Uint8Array;
	storedHash: Uint8Array;
	/** The SHA-256 of the frame recomputed; equal to storedHash unless the frame was changed. */
	computedHash: Uint8Array;
}

export type FrameStop =
	| { kind: 'end' }
	| { kind: 'truncated'; offset: number; message: string }
	| { kind: 'format'; offset: number; message: string };

export interface Framed {
	frames: Frame[];
	/** Why parsing stopped. */
	stop: FrameStop;
	/** False when the file does not start with the magic. */
	magicOk: boolean;
}

export function hasMagic(bytes: Uint8Array): boolean {
	if (bytes.length < MAGIC.length) return false;
	for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) return false;
	return true;
}

export function readFrames(bytes: Uint8Array): Framed {
	if (!hasMagic(bytes)) {
		const short = bytes.length < MAGIC.length;
		return {
			frames: [],
			magicOk: false,
			stop: short
				? { kind: 'truncated', offset: 0, message: `the file is ${bytes.length} bytes long, shorter than the .labrec header` }
				: { kind: 'format', offset: 0, message: 'the file does not start with the .labrec header "LABREC1"' }
		};
	}
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
	const frames: Frame[] = [];
	let at = MAGIC.length;
	while (at < bytes.length) {
		if (bytes.length - at < 4) {
			return { frames, magicOk: true, stop: { kind: 'truncated', offset: at, message: `the file ends ${bytes.length - at} bytes into a record's length field` } };
		}
		const rest = view.getUint32(at);
		const total = rest + 4;
		if (total < MIN_FRAME_BYTES || total > MAX_FRAME_BYTES) {
			return { frames, magicOk: true, stop: { kind: 'format', offset: at, message: `the record's length field says ${rest} bytes, which no record can have` } };
		}
		if (at + total > bytes.length) {
			return {
				frames,
				magicOk: true,
				stop: { kind: 'truncated', offset: at, message: `the file ends after ${bytes.length - at} of the record's ${total} bytes` }
			};
		}
		const frame = bytes.subarray(at, at + total);
		const hashAt = total - HASH_BYTES;
		frames.push({
			offset: at,
			bytes: frame,
			seq: view.getUint32(at + 4),
			timeUs: Number(view.getBigUint64(at + 8)),
			typeCode: frame[16],
			flags: frame[17],
			prevHash: frame.subarray(18, 18 + HASH_BYTES),
			payload: frame.subarray(HEADER_BYTES, hashAt),
			storedHash: frame.subarray(hashAt),
			computedHash: sha256(frame.subarray(0, hashAt))
		});
		at += total;
	}
	return { frames, magicOk: true, stop: { kind: 'end' } };
}

/** Decode a frame's payload into a record; throws an Error saying what is wrong. */
export function decodeFrame(frame: Frame): LabRecord {
	const type = recordTypeName(frame.typeCode);
	if (!type) throw new Error(`unknown record type code ${frame.typeCode}`);
	if ((frame.flags & ~FLAG_DEFLATE) !== 0) throw new Error(`unknown flags 0x${frame.flags.toString(16)}`);
	const raw = frame.flags & FLAG_DEFLATE ? decompress(frame.payload) : frame.payload;
	const payload = decodePayload(raw);
	if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new Error('the payload is not an object');
	return { seq: frame.seq, timeUs: frame.timeUs, type, payload } as LabRecord;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}
