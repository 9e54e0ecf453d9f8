/**
 * Helpers for the recording tests: a realistic small session written by the
 * real writer, frame offsets of a file, and a forger that rebuilds a file's
 * hash chain the way someone without the signing key could.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sign } from 'node:crypto';
import {
	MAGIC,
	RECORD_TYPES,
	encodeFrame,
	encodePayload,
	compress,
	FLAG_DEFLATE,
	LINK_BYTES,
	ZERO_HASH,
	signedBytes,
	toHex,
	readFrames,
	decodeFrame,
	RecordingWriter,
	generateRecordingKeys,
	type RecordingKeys,
	type LabRecord,
	type Frame
} from '../../server/recording/index';

export const enc = (s: string) => new TextEncoder().encode(s);

export function tempDir(): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'labrec-test-'));
}

/** A short but complete session: every record type, checkpoints every few records. */
export function writeSession(keys: RecordingKeys, options: { checkpointRecords?: number; rounds?: number } = {}): { path: string; bytes: Uint8Array } {
	const dir = tempDir();
	const w = RecordingWriter.open(
		dir,
		{ tutorVersion: '0.1.0', student: 'Grace Hopper (s1234567)' },
		{ keys, checkpointMs: 0, checkpointRecords: options.checkpointRecords ?? 4, trafficFlushMs: 60_000 }
	);
	let t = 1_700_000_000_000_000;
	w.append('program-start', { program: 'pot', args: ['--local'], pid: 4242 }, t++);
	for (let i = 0; i < (options.rounds ?? 2); i++) {
		w.append('terminal-input', { bytes: enc('npm run htcpcp -- BREW coffee://ducky start\r') }, t++);
		w.append('terminal-output', { bytes: enc(`HTCPCP/1.1 200 OK\r\nServer: CoffeePot\r\n\r\nBrewing coffee ${i}\r\n`) }, t++);
		w.appendTraffic({ type: 'open', conn: i, timeUs: t++, client: { address: '127.0.0.1', port: 50000 + i }, server: { address: '127.0.0.1', port: 5030 }, label: 'web app → pot' });
		w.appendTraffic({ type: 'data', conn: i, timeUs: t++, from: 'client', bytes: enc('BREW coffee://ducky HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\nContent-Length: 5\r\n\r\nstart') });
		w.appendTraffic({ type: 'data', conn: i, timeUs: t++, from: 'server', bytes: enc('HTCPCP/1.1 200 OK\r\nServer: CoffeePot\r\nContent-Length: 7\r\n\r\nBrewing') });
		w.appendTraffic({ type: 'close', conn: i, timeUs: t++ });
		w.flushTraffic();
		w.append('message-summary', { conn: i, kind: 'request', startLine: 'BREW coffee://ducky HTTP/1.1', summary: 'BREW start' }, t++);
		w.append('answer', { lesson: '04-messages', question: 'q1', answer: 'HTCPCP/1.1 200 OK', correct: true }, t++);
		w.append('check', { lesson: '01-architecture', check: 'pot-listens', passed: i % 2 === 0, detail: 'port 5030' }, t++);
	}
	w.append('note', { text: 'student asked for help' }, t++);
	w.append('program-exit', { program: 'pot', pid: 4242, code: 0, signal: null }, t++);
	w.close('student logged out');
	return { path: w.path, bytes: new Uint8Array(fs.readFileSync(w.path)) };
}

export function frameSpans(bytes: Uint8Array): Frame[] {
	return readFrames(bytes).frames;
}

export function concat(parts: Uint8Array[]): Uint8Array {
	return new Uint8Array(Buffer.concat(parts));
}

/** The file with frame `i` removed. */
export function dropFrame(bytes: Uint8Array, i: number): Uint8Array {
	const frames = frameSpans(bytes);
	return concat([MAGIC, ...frames.filter((_, j) => j !== i).map((f) => f.bytes)]);
}

/** The file with frames `i` and `i + 1` swapped. */
export function swapFrames(bytes: Uint8Array, i: number): Uint8Array {
	const frames = frameSpans(bytes).map((f) => f.bytes);
	[frames[i], frames[i + 1]] = [frames[i + 1], frames[i]];
	return concat([MAGIC, ...frames]);
}

/** The file with `extra` placed before frame `i`. */
export function insertBefore(bytes: Uint8Array, i: number, extra: Uint8Array): Uint8Array {
	const frames = frameSpans(bytes).map((f) => f.bytes);
	frames.splice(i, 0, extra);
	return concat([MAGIC, ...frames]);
}

function encodeRecord(record: LabRecord, prev: Uint8Array): { frame: Uint8Array; hash: Uint8Array } {
	let body = encodePayload(record.payload);
	let flags = 0;
	if (record.type === 'traffic') {
		body = compress(body);
		flags = FLAG_DEFLATE;
	}
	return encodeFrame(record.seq, record.timeUs, RECORD_TYPES[record.type], flags, prev, body);
}

/** A frame a forger could make: any record, linked to `prev`, with a correct own hash. */
export function forgeFrame(record: LabRecord, prev: Uint8Array): Uint8Array {
	return encodeRecord(record, prev).frame;
}

/**
 * Re-encode every record after `edit` changed them, recomputing the whole hash
 * chain. Checkpoints keep their old signatures unless `resignWith` is given
 * (a different key: the forger's own); then the meta record names that key.
 */
export function rebuild(
	bytes: Uint8Array,
	edit: (records: LabRecord[]) => LabRecord[],
	resignWith?: RecordingKeys
): Uint8Array {
	const records = edit(frameSpans(bytes).map((f) => decodeFrame(f)));
	const out: Uint8Array[] = [MAGIC];
	let prev: Uint8Array = ZERO_HASH;
	const links: Uint8Array[] = [];
	for (const original of records) {
		let record = original;
		if (resignWith && record.type === 'meta') {
			record = { ...record, payload: { ...record.payload, publicKey: resignWith.publicKeyPem, keyFingerprint: resignWith.fingerprint } };
		}
		if (resignWith && record.type === 'checkpoint') {
			const { from, through } = record.payload;
			const hashes = concat(links.slice(from, through + 1).map((h) => h.subarray(0, LINK_BYTES)));
			const signature = sign(null, signedBytes(from, through, links[through], hashes), resignWith.privateKey).toString('base64');
			record = { ...record, payload: { ...record.payload, head: toHex(links[through]), key: resignWith.fingerprint, hashes, signature } };
		}
		const { frame, hash } = encodeRecord(record, prev);
		out.push(frame);
		links[record.seq] = hash;
		prev = hash;
	}
	return concat(out);
}

export { generateRecordingKeys };
