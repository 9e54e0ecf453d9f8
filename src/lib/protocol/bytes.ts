/** Byte helpers that work the same in Node and in the browser (no Buffer). */

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const lenientDecoder = new TextDecoder('utf-8');
const latin1Decoder = new TextDecoder('latin1');

export function utf8(text: string): Uint8Array {
	return encoder.encode(text);
}

/** Decodes UTF-8, replacing invalid sequences with U+FFFD. */
export function text(bytes: Uint8Array): string {
	return lenientDecoder.decode(bytes);
}

/** Decodes UTF-8 or returns null when the bytes are not valid UTF-8. */
export function strictText(bytes: Uint8Array): string | null {
	try {
		return strictDecoder.decode(bytes);
	} catch {
		return null;
	}
}

export function latin1(bytes: Uint8Array): string {
	return latin1Decoder.decode(bytes);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
	const adjacent = adjacentSpan(parts);
	if (adjacent !== null) return adjacent;
	let length = 0;
	for (const part of parts) length += part.length;
	const out = allocate(length);
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.length;
	}
	return out;
}

/**
 * When the parts are views that follow one another in one buffer, a single
 * view over all of them (nothing to copy); otherwise null.
 */
function adjacentSpan(parts: readonly Uint8Array[]): Uint8Array | null {
	if (parts.length < 2) return null;
	const first = parts[0];
	let end = first.byteOffset + first.length;
	for (let i = 1; i < parts.length; i++) {
		const p = parts[i];
		if (p.buffer !== first.buffer || p.byteOffset !== end) return null;
		end += p.length;
	}
	return new Uint8Array(first.buffer, first.byteOffset, end - first.byteOffset);
}

/**
 * Zero-filled memory for `n` bytes. Small requests are cut from a shared slab
 * (as Node does for small Buffers): creating an ArrayBuffer costs about a
 * microsecond, which would be most of the work of joining a body split across
 * two TCP segments. Each piece is the caller's alone, but its `.buffer` is the
 * slab, which stays alive while any piece of it does; call sites that transfer
 * or structured-clone a buffer must copy first (none do today).
 */
export function allocate(n: number): Uint8Array {
	if (n > SLAB_PIECE_MAX) return new Uint8Array(n);
	if (slabUsed + n > SLAB_BYTES) {
		slab = new Uint8Array(SLAB_BYTES);
		slabUsed = 0;
	}
	const piece = slab.subarray(slabUsed, slabUsed + n);
	// Keep pieces 8-byte aligned so a DataView over one stays on natural boundaries.
	slabUsed = (slabUsed + n + 7) & ~7;
	return piece;
}

const SLAB_BYTES = 256 * 1024;
const SLAB_PIECE_MAX = 32 * 1024;
let slab = new Uint8Array(SLAB_BYTES);
let slabUsed = 0;

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

/**
 * Short ASCII strings seen again and again (header names, common values,
 * status lines), kept so that decoding them again costs a hash and a compare
 * instead of a TextDecoder call. Bounded: the table starts over when full, and
 * long strings are never kept.
 */
const INTERN_MAX_LENGTH = 96;
const INTERN_MAX_ENTRIES = 4096;
let internTable = new Map<number, string>();

/**
 * Decodes `bytes[start..end)` as UTF-8 like `text`, reusing an earlier string
 * for the same ASCII bytes. Non-ASCII input goes through the decoder.
 */
export function internedText(bytes: Uint8Array, start: number, end: number): string {
	if (end - start > INTERN_MAX_LENGTH) return text(bytes.subarray(start, end));
	let hash = INTERN_SEED;
	for (let i = start; i < end; i++) {
		const c = bytes[i];
		if (c >= 0x80) return text(bytes.subarray(start, end));
		hash = Math.imul(hash ^ c, INTERN_PRIME);
	}
	return internHashed(bytes, start, end, hash);
}

/** Starting value and multiplier of the hash `internHashed` expects (FNV-1a, 32 bits). */
export const INTERN_SEED = 0x811c9dc5;
export const INTERN_PRIME = 0x01000193;

/**
 * `internedText` for callers that already walked the bytes: `hash` is the
 * FNV-1a hash of `bytes[start..end)` from INTERN_SEED, and every byte is ASCII.
 */
export function internHashed(bytes: Uint8Array, start: number, end: number, hash: number): string {
	const length = end - start;
	if (length === 0) return '';
	if (length > INTERN_MAX_LENGTH) return text(bytes.subarray(start, end));
	const key = (hash ^ length) >>> 0;
	const known = internTable.get(key);
	if (known !== undefined && known.length === length) {
		let same = true;
		for (let i = 0; i < length; i++) {
			if (known.charCodeAt(i) !== bytes[start + i]) {
				same = false;
				break;
			}
		}
		if (same) return known;
	}
	const fresh = text(bytes.subarray(start, end));
	if (internTable.size >= INTERN_MAX_ENTRIES) internTable = new Map();
	internTable.set(key, fresh);
	return fresh;
}

/** True when every byte of `bytes[start..end)` is below 0x80. */
export function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
	for (let i = start; i < end; i++) if (bytes[i] >= 0x80) return false;
	return true;
}
