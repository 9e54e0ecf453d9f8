/**
 * TLS records (RFC 8446 section 5.1) read from one direction of a stream:
 * content type, version and length of each record, the handshake message
 * types that are still in the clear (section 4), and in a ClientHello the
 * server name (RFC 6066 section 3) and ALPN list (RFC 7301).
 * Everything after the keys change is encrypted and stays opaque.
 */

import { concatBytes, latin1 } from '../bytes';
import type { TlsHandshakeInfo } from './model';

export const TLS_CONTENT_TYPES: Readonly<Record<number, string>> = Object.freeze({
	20: 'Change Cipher Spec',
	21: 'Alert',
	22: 'Handshake',
	23: 'Application Data',
	24: 'Heartbeat'
});

export const TLS_HANDSHAKE_TYPES: Readonly<Record<number, string>> = Object.freeze({
	0: 'Hello Request',
	1: 'Client Hello',
	2: 'Server Hello',
	4: 'New Session Ticket',
	5: 'End Of Early Data',
	8: 'Encrypted Extensions',
	11: 'Certificate',
	12: 'Server Key Exchange',
	13: 'Certificate Request',
	14: 'Server Hello Done',
	15: 'Certificate Verify',
	16: 'Client Key Exchange',
	20: 'Finished',
	24: 'Key Update'
});

/** Record body limit: 2^14 plus expansion (RFC 8446 section 5.2). */
const MAX_RECORD_BODY = 16384 + 2048;

export function tlsVersionName(v: number): string {
	if (v === 0x0300) return 'SSL 3.0';
	if (v >= 0x0301 && v <= 0x0304) return `TLS 1.${v - 0x0301}`;
	return `0x${v.toString(16).padStart(4, '0')}`;
}

/** True when bytes look like the start of a TLS record: a known type, major version 3, a sane length. */
export function looksLikeTls(b: Uint8Array): boolean {
	if (b.length < 5) return false;
	return b[0] >= 20 && b[0] <= 24 && b[1] === 3 && b[2] <= 4 && ((b[3] << 8) | b[4]) <= MAX_RECORD_BODY;
}

export interface ParsedRecord {
	offset: number;
	length: number;
	contentType: number;
	version: number;
	handshakes: TlsHandshakeInfo[];
	encrypted: boolean;
	why?: string;
	alert?: { level: number; description: number };
}

/** Reads records from one direction; push bytes in order, get completed records. */
export class TlsStream {
	private buffer: Uint8Array = new Uint8Array(0);
	private base = 0;
	/** After ChangeCipherSpec (TLS 1.2) or a TLS 1.3 ServerHello, handshakes are encrypted. */
	private keysChanged = false;
	failure: string | null = null;

	constructor(private readonly onServerHello13?: () => void) {}

	/** The peer direction learned that TLS 1.3 is in use: its later handshakes are encrypted. */
	markEncrypted(): void {
		this.keysChanged = true;
	}

	push(offset: number, bytes: Uint8Array): ParsedRecord[] {
		if (this.failure) return [];
		if (this.buffer.length === 0) {
			this.base = offset;
			this.buffer = bytes;
		} else {
			this.buffer = concatBytes([this.buffer, bytes]);
		}
		const out: ParsedRecord[] = [];
		let at = 0;
		while (this.buffer.length - at >= 5) {
			const b = this.buffer;
			const type = b[at];
			const version = (b[at + 1] << 8) | b[at + 2];
			const length = (b[at + 3] << 8) | b[at + 4];
			if (!TLS_CONTENT_TYPES[type] || b[at + 1] !== 3 || length > MAX_RECORD_BODY) {
				this.failure = `bytes at stream offset ${this.base + at} are not a TLS record header`;
				break;
			}
			if (b.length - at < 5 + length) break;
			out.push(this.record(this.base + at, type, version, b.subarray(at + 5, at + 5 + length)));
			at += 5 + length;
		}
		this.buffer = this.buffer.subarray(at).slice();
		this.base += at;
		return out;
	}

	private record(offset: number, type: number, version: number, body: Uint8Array): ParsedRecord {
		const rec: ParsedRecord = { offset, length: body.length + 5, contentType: type, version, handshakes: [], encrypted: false };
		if (type === 20) {
			this.keysChanged = true;
		} else if (type === 23) {
			rec.encrypted = true;
			rec.why =
				'application data is encrypted with keys the two ends agreed during the handshake; a capture never contains them, so the HTTP inside cannot be read (RFC 8446 section 5.2)';
		} else if (type === 22 && this.keysChanged) {
			rec.encrypted = true;
			rec.why = 'this handshake message is sent after the keys changed, so it is encrypted (RFC 8446 section 2)';
		} else if (type === 22) {
			rec.handshakes = this.handshakes(body);
		} else if (type === 21 && body.length >= 2 && !this.keysChanged) {
			rec.alert = { level: body[0], description: body[1] };
		} else if (type === 21) {
			rec.encrypted = true;
			rec.why = 'the alert is encrypted because the keys already changed';
		}
		return rec;
	}

	private handshakes(body: Uint8Array): TlsHandshakeInfo[] {
		const out: TlsHandshakeInfo[] = [];
		let at = 0;
		while (body.length - at >= 4) {
			const type = body[at];
			const length = (body[at + 1] << 16) | (body[at + 2] << 8) | body[at + 3];
			const msg = body.subarray(at + 4, Math.min(body.length, at + 4 + length));
			const info: TlsHandshakeInfo = { type, name: TLS_HANDSHAKE_TYPES[type] ?? `Handshake type ${type}` };
			if (type === 1 || type === 2) readHello(msg, type === 1, info);
			if (type === 2 && info.version === 'TLS 1.3') {
				// RFC 8446 section 2: everything after the ServerHello is encrypted, both ways.
				this.keysChanged = true;
				this.onServerHello13?.();
			}
			out.push(info);
			at += 4 + length;
		}
		return out;
	}
}

/** Reads the hello's extensions: server_name (0), ALPN (16), supported_versions (43). */
function readHello(m: Uint8Array, client: boolean, info: TlsHandshakeInfo): void {
	const u16 = (i: number) => (m[i] << 8) | m[i + 1];
	if (m.length < 38) return;
	let version = u16(0);
	let at = 34;
	at += 1 + m[at]; // session id
	if (client) {
		if (at + 2 > m.length) return;
		at += 2 + u16(at); // cipher suites
		if (at + 1 > m.length) return;
		at += 1 + m[at]; // compression methods
	} else {
		at += 3; // cipher suite, compression method
	}
	if (at + 2 > m.length) {
		info.version = tlsVersionName(version);
		return;
	}
	const end = Math.min(m.length, at + 2 + u16(at));
	at += 2;
	while (at + 4 <= end) {
		const type = u16(at);
		const len = u16(at + 2);
		const ext = m.subarray(at + 4, Math.min(end, at + 4 + len));
		if (type === 0 && ext.length >= 5 && ext[2] === 0) {
			const nameLen = (ext[3] << 8) | ext[4];
			info.serverName = latin1(ext.subarray(5, 5 + nameLen));
		} else if (type === 16 && ext.length >= 2) {
			const names: string[] = [];
			for (let i = 2; i < ext.length; ) {
				const n = ext[i];
				names.push(latin1(ext.subarray(i + 1, i + 1 + n)));
				i += 1 + n;
			}
			info.alpn = names;
		} else if (type === 43) {
			if (client && ext.length >= 3) {
				for (let i = 1; i + 1 < ext.length && i <= ext[0]; i += 2) {
					const v = (ext[i] << 8) | ext[i + 1];
					if ((v & 0x0f0f) === 0x0a0a) continue; // GREASE values (RFC 8701)
					if (v > version && v <= 0x0304) version = v;
				}
			} else if (!client && ext.length >= 2) {
				version = (ext[0] << 8) | ext[1];
			}
		}
		at += 4 + len;
	}
	info.version = tlsVersionName(version);
}
