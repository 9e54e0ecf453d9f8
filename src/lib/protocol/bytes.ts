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
	let length = 0;
	for (const part of parts) length += part.length;
	const out = new Uint8Array(length);
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.length;
	}
	return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}
