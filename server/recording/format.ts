/**
 * The `.labrec` session recording format: record types, their payloads and
 * the byte framing. docs/recording.md describes the same layout for readers
 * outside this project; keep the two in step.
 *
 * A file is an 8-byte magic followed by records, each framed as:
 *
 *   u32  length of the rest of the frame (big-endian, like every integer here)
 *   u32  seq (0 for the meta record, then +1 per record)
 *   u64  time, microseconds since the Unix epoch
 *   u8   type code
 *   u8   flags (bit 0: payload is deflate-raw compressed)
 *   32   hash of the previous record (zeros before the meta record)
 *   ...  payload
 *   32   SHA-256 of every byte of this frame before this field
 *
 * Because the previous record's hash is inside the bytes hashed, the hashes
 * form a chain; checkpoint records sign the head of that chain.
 */

import crypto, { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';

export const MAGIC = new Uint8Array([0x4c, 0x41, 0x42, 0x52, 0x45, 0x43, 0x31, 0x0a]); // "LABREC1\n"
export const FORMAT_VERSION = 1;

export const HASH_BYTES = 32;
/** length field + seq + time + type + flags + prev hash. */
export const HEADER_BYTES = 4 + 4 + 8 + 1 + 1 + HASH_BYTES;
/** The smallest frame: header and hash, empty payload. */
export const MIN_FRAME_BYTES = HEADER_BYTES + HASH_BYTES;
/** A frame larger than this is treated as damage, not allocated. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

export const FLAG_DEFLATE = 0x01;
/** Payloads at least this big are compressed (traffic always is). */
export const COMPRESS_FROM_BYTES = 512;

export const ZERO_HASH = new Uint8Array(HASH_BYTES);

/**
 * Bytes a checkpoint signs: this context string, u32 from, u32 through, the
 * 32-byte head hash, then the first LINK_BYTES of each record hash from..through.
 */
export const SIGNATURE_CONTEXT = 'labrec-checkpoint-v1\0';

export const RECORD_TYPES = Object.freeze({
	meta: 1,
	'terminal-output': 2,
	'terminal-input': 3,
	traffic: 4,
	'message-summary': 5,
	answer: 6,
	check: 7,
	'program-start': 8,
	'program-exit': 9,
	note: 10,
	checkpoint: 11,
	end: 12
} as const);

export type RecordType = keyof typeof RECORD_TYPES;

const TYPE_BY_CODE = new Map<number, RecordType>(
	Object.entries(RECORD_TYPES).map(([name, code]) => [code, name as RecordType])
);

export function recordTypeName(code: number): RecordType | undefined {
	return TYPE_BY_CODE.get(code);
}

export interface MetaPayload {
	format: number;
	tutorVersion: string;
	/** The name or id the student typed in; not verified by anything. */
	student: string;
	/** ISO 8601 start time. */
	startedAt: string;
	/** Random id of this recording, so two sessions never share a chain. */
	sessionId: string;
	/** The tutor's Ed25519 public key (SPKI PEM) that signs the checkpoints. */
	publicKey: string;
	/** SHA-256 of the public key's DER bytes, hex. */
	keyFingerprint: string;
	host?: string;
	[extra: string]: unknown;
}

export interface TerminalPayload {
	/** Which terminal, when a session has several. */
	terminal?: string;
	bytes: Uint8Array;
}

export interface TrafficPayload {
	events: TrafficEvent[];
}

export interface MessageSummaryPayload {
	conn?: number;
	hop?: string;
	kind?: 'request' | 'response';
	startLine?: string;
	summary: string;
	[extra: string]: unknown;
}

export interface AnswerPayload {
	lesson?: string;
	question: string;
	answer: string;
	correct?: boolean;
	[extra: string]: unknown;
}

export interface CheckPayload {
	lesson?: string;
	check: string;
	passed: boolean;
	detail?: string;
	[extra: string]: unknown;
}

export interface ProgramStartPayload {
	program: string;
	args?: string[];
	pid?: number;
	[extra: string]: unknown;
}

export interface ProgramExitPayload {
	program: string;
	pid?: number;
	code: number | null;
	signal?: string | null;
	[extra: string]: unknown;
}

export interface NotePayload {
	text: string;
	[extra: string]: unknown;
}

/** Bytes of each record's hash a checkpoint lists, to name a rewritten record. */
export const LINK_BYTES = 8;

export interface CheckpointPayload {
	/** First record this checkpoint covers (the one after the previous checkpoint's `through`). */
	from: number;
	/** The seq of the record whose hash is signed (the record just before this one). */
	through: number;
	/** That record's hash, hex. */
	head: string;
	/** Fingerprint of the signing key; must match the meta record's. */
	key: string;
	/** The first LINK_BYTES of each record hash from..through, concatenated. */
	hashes: Uint8Array;
	/** Ed25519 signature, base64, over signedBytes(from, through, head, hashes). */
	signature: string;
}

export interface EndPayload {
	reason: string;
	[extra: string]: unknown;
}

export interface PayloadMap {
	meta: MetaPayload;
	'terminal-output': TerminalPayload;
	'terminal-input': TerminalPayload;
	traffic: TrafficPayload;
	'message-summary': MessageSummaryPayload;
	answer: AnswerPayload;
	check: CheckPayload;
	'program-start': ProgramStartPayload;
	'program-exit': ProgramExitPayload;
	note: NotePayload;
	checkpoint: CheckpointPayload;
	end: EndPayload;
}

/** One decoded record. */
export type LabRecord = {
	[T in RecordType]: { seq: number; timeUs: number; type: T; payload: PayloadMap[T] };
}[RecordType];

// ---- payload encoding ------------------------------------------------------
// A payload is u32 JSON length, the JSON text, then a blob holding every byte
// array of the value; in the JSON a byte array is {"$bin":[offset,length]}.

interface BinRef {
	$bin: [number, number];
}

function isBinRef(value: unknown): value is BinRef {
	if (typeof value !== 'object' || value === null || !('$bin' in value)) return false;
	const ref = (value as BinRef).$bin;
	return Array.isArray(ref) && ref.length === 2 && Number.isInteger(ref[0]) && Number.isInteger(ref[1]);
}

export function encodePayload(value: unknown): Uint8Array {
	return encodeWithBlob((blob) => {
		// Byte arrays become references into the blob before JSON.stringify sees
		// them: a replacer would be too late, as stringify first calls a Buffer's
		// toJSON, which spells every byte out as a number.
		const lift = (v: unknown): unknown => {
			if (v instanceof Uint8Array) return blob(v);
			if (Array.isArray(v)) return v.map(lift);
			if (typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
				return lift((v as { toJSON: () => unknown }).toJSON());
			}
			if (typeof v === 'object' && v !== null) {
				const out: Record<string, unknown> = {};
				for (const [k, x] of Object.entries(v)) out[k] = lift(x);
				return out;
			}
			return v;
		};
		return lift(value);
	});
}

/**
 * `encodePayload({ events })` for a traffic batch (it decodes to the same events), written
 * out by hand: the relay writes these while it forwards traffic, and the
 * generic walk plus JSON.stringify cost half a millisecond per 64 KiB batch
 * of small events. A data event's fields are numbers and a side name, so
 * its JSON is built directly; other events (no bytes) go through stringify.
 */
export function encodeTrafficPayload(events: readonly TrafficEvent[]): Uint8Array {
	const parts: Uint8Array[] = [];
	let blobLength = 0;
	const items: string[] = [];
	for (const e of events) {
		if (e.type !== 'data') {
			items.push(JSON.stringify(e));
			continue;
		}
		items.push(`{"type":"data","conn":${e.conn},"timeUs":${e.timeUs},"from":"${e.from}","bytes":{"$bin":[${blobLength},${e.bytes.length}]}}`);
		parts.push(e.bytes);
		blobLength += e.bytes.length;
	}
	return joinPayload(`{"events":[${items.join(',')}]}`, parts, blobLength);
}

/** `[json length][json][blob]`, where `build` turns each byte array it meets into a reference into the blob. */
function encodeWithBlob(build: (blob: (bytes: Uint8Array) => BinRef) => unknown): Uint8Array {
	const parts: Uint8Array[] = [];
	let blobLength = 0;
	const blob = (bytes: Uint8Array): BinRef => {
		const ref: BinRef = { $bin: [blobLength, bytes.length] };
		parts.push(bytes);
		blobLength += bytes.length;
		return ref;
	};
	return joinPayload(JSON.stringify(build(blob)), parts, blobLength);
}

function joinPayload(json: string, parts: readonly Uint8Array[], blobLength: number): Uint8Array {
	const jsonBytes = Buffer.from(json, 'utf8');
	const out = Buffer.allocUnsafe(4 + jsonBytes.length + blobLength);
	out.writeUInt32BE(jsonBytes.length, 0);
	jsonBytes.copy(out, 4);
	let at = 4 + jsonBytes.length;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Replace byte references with the bytes, in place (faster than a JSON.parse reviver). */
function resolveBinRefs(v: unknown, bytes: Uint8Array, blobStart: number, blobLength: number): unknown {
	if (typeof v !== 'object' || v === null) return v;
	if (isBinRef(v)) {
		const [offset, length] = v.$bin;
		if (offset < 0 || length < 0 || offset + length > blobLength) throw new Error('payload byte reference out of range');
		return bytes.slice(blobStart + offset, blobStart + offset + length);
	}
	if (Array.isArray(v)) {
		for (let i = 0; i < v.length; i++) v[i] = resolveBinRefs(v[i], bytes, blobStart, blobLength);
	} else {
		const o = v as Record<string, unknown>;
		for (const key in o) o[key] = resolveBinRefs(o[key], bytes, blobStart, blobLength);
	}
	return v;
}

export function decodePayload(bytes: Uint8Array): unknown {
	if (bytes.length < 4) throw new Error('payload shorter than its length field');
	const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
	const jsonLength = view.readUInt32BE(0);
	if (4 + jsonLength > bytes.length) throw new Error('payload JSON runs past the payload');
	const blobStart = 4 + jsonLength;
	const blobLength = bytes.length - blobStart;
	const value: unknown = JSON.parse(view.toString('utf8', 4, blobStart));
	if (blobLength === 0 && !view.includes('"$bin"', 4)) return value;
	return resolveBinRefs(value, bytes, blobStart, blobLength);
}

/** Level 1: the relay compresses traffic on its main thread while it forwards, so speed beats the last few percent of size. */
export function compress(bytes: Uint8Array): Uint8Array {
	return zlib.deflateRawSync(bytes, { level: 1 });
}

export function decompress(bytes: Uint8Array): Uint8Array {
	return zlib.inflateRawSync(bytes, { maxOutputLength: MAX_FRAME_BYTES * 8 });
}

// ---- framing ---------------------------------------------------------------

// One-shot hashing (Node 20.12+) is several times cheaper than createHash for small records.
const oneShot = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer }).hash;

export function sha256(...parts: Uint8Array[]): Uint8Array {
	if (parts.length === 1 && oneShot) {
		const digest = oneShot('sha256', parts[0], 'buffer');
		return new Uint8Array(digest.buffer, digest.byteOffset, digest.length);
	}
	const h = createHash('sha256');
	for (const p of parts) h.update(p);
	return new Uint8Array(h.digest());
}

/** Build one complete frame; returns the bytes and the record's hash. */
export function encodeFrame(
	seq: number,
	timeUs: number,
	typeCode: number,
	flags: number,
	prevHash: Uint8Array,
	payload: Uint8Array
): { frame: Uint8Array; hash: Uint8Array } {
	const total = HEADER_BYTES + payload.length + HASH_BYTES;
	const buf = Buffer.alloc(total);
	buf.writeUInt32BE(total - 4, 0);
	buf.writeUInt32BE(seq >>> 0, 4);
	buf.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(timeUs))), 8);
	buf.writeUInt8(typeCode, 16);
	buf.writeUInt8(flags, 17);
	buf.set(prevHash, 18);
	buf.set(payload, HEADER_BYTES);
	const hashed = new Uint8Array(buf.buffer, buf.byteOffset, total - HASH_BYTES);
	const hash = sha256(hashed);
	buf.set(hash, total - HASH_BYTES);
	return { frame: new Uint8Array(buf.buffer, buf.byteOffset, total), hash };
}

/** The bytes a checkpoint signature covers. */
export function signedBytes(from: number, through: number, head: Uint8Array, hashes: Uint8Array): Uint8Array {
	const context = Buffer.from(SIGNATURE_CONTEXT, 'latin1');
	const out = Buffer.alloc(context.length + 8 + HASH_BYTES + hashes.length);
	context.copy(out, 0);
	out.writeUInt32BE(from >>> 0, context.length);
	out.writeUInt32BE(through >>> 0, context.length + 4);
	out.set(head, context.length + 8);
	out.set(hashes, context.length + 8 + HASH_BYTES);
	return out;
}

export function toHex(bytes: Uint8Array): string {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex');
}
