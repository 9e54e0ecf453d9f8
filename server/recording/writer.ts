/**
 * Appends one session to a `.labrec` file. Every record is written with a
 * synchronous write as soon as it is appended, so a crash loses nothing that
 * was appended, except traffic still waiting in the batch (flushed at least
 * every `trafficFlushMs`). Checkpoints sign the chain head and fsync the file.
 */

import { randomBytes, sign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';
import { nowUs } from '../shared/clock';
import {
	COMPRESS_FROM_BYTES,
	FLAG_DEFLATE,
	FORMAT_VERSION,
	LINK_BYTES,
	MAGIC,
	RECORD_TYPES,
	ZERO_HASH,
	compress,
	encodeFrame,
	encodePayload,
	encodeTrafficPayload,
	signedBytes,
	toHex,
	type MetaPayload,
	type PayloadMap,
	type RecordType
} from './format';
import { loadOrCreateKeys, type RecordingKeys } from './keys';

export interface RecordingMeta {
	tutorVersion: string;
	student: string;
	host?: string;
	[extra: string]: unknown;
}

export interface WriterOptions {
	/** Signing keys; default: loaded or created under `keyDir`. */
	keys?: RecordingKeys;
	/** Data directory holding `keys/`; default: `dir`. */
	keyDir?: string;
	/** File name inside `dir`; default: start time, student and session id. */
	fileName?: string;
	/** Sign a checkpoint after this many records (default 256). */
	checkpointRecords?: number;
	/** Sign a checkpoint when records are waiting and this much time passed (default 10000 ms; 0 turns the timer off). */
	checkpointMs?: number;
	/** Flush batched traffic after this long (default 1000 ms). */
	trafficFlushMs?: number;
	/** Flush batched traffic once it holds this many bytes (default 64 KiB). */
	trafficBatchBytes?: number;
}

/** Payloads callers may append; checkpoint and end are written by the writer itself. */
export type AppendableType = Exclude<RecordType, 'meta' | 'checkpoint' | 'end'>;

function safeName(text: string): string {
	const cleaned = text.normalize('NFKD').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
	return cleaned.slice(0, 40) || 'student';
}

export class RecordingWriter {
	readonly path: string;
	readonly sessionId: string;
	readonly keys: RecordingKeys;
	private fd: number;
	private seq = 0;
	private prevHash: Uint8Array = ZERO_HASH;
	/** `through` of the last checkpoint. */
	private signedThrough = -1;
	/** Seq of the last checkpoint record. */
	private lastCheckpoint = -1;
	private closed = false;
	private readonly checkpointRecords: number;
	private readonly trafficBatchBytes: number;
	private readonly trafficFlushMs: number;
	/** Hash prefixes of the records written since the last checkpoint. */
	private links: Uint8Array[] = [];
	private trafficBatch: TrafficEvent[] = [];
	private trafficBytes = 0;
	private trafficTimer: NodeJS.Timeout | null = null;
	private checkpointTimer: NodeJS.Timeout | null = null;

	private constructor(filePath: string, fd: number, keys: RecordingKeys, sessionId: string, options: WriterOptions) {
		this.path = filePath;
		this.fd = fd;
		this.keys = keys;
		this.sessionId = sessionId;
		this.checkpointRecords = options.checkpointRecords ?? 256;
		this.trafficBatchBytes = options.trafficBatchBytes ?? 64 * 1024;
		this.trafficFlushMs = options.trafficFlushMs ?? 1000;
		const checkpointMs = options.checkpointMs ?? 10_000;
		if (checkpointMs > 0) {
			this.checkpointTimer = setInterval(() => {
				if (!this.closed && this.seq - 1 > this.lastCheckpoint) this.checkpoint();
			}, checkpointMs);
			this.checkpointTimer.unref();
		}
	}

	/** Create a new recording in `dir` and write its meta record. */
	static open(dir: string, meta: RecordingMeta, options: WriterOptions = {}): RecordingWriter {
		fs.mkdirSync(dir, { recursive: true });
		const keys = options.keys ?? loadOrCreateKeys(options.keyDir ?? dir);
		const sessionId = randomBytes(8).toString('hex');
		const started = new Date();
		const stamp = started.toISOString().replace(/[:.]/g, '-');
		const fileName = options.fileName ?? `${stamp}-${safeName(meta.student)}-${sessionId}.labrec`;
		const filePath = path.join(dir, fileName);
		const fd = fs.openSync(filePath, 'wx', 0o644);
		fs.writeSync(fd, MAGIC);
		const writer = new RecordingWriter(filePath, fd, keys, sessionId, options);
		const payload: MetaPayload = {
			...meta,
			format: FORMAT_VERSION,
			tutorVersion: meta.tutorVersion,
			student: meta.student,
			startedAt: started.toISOString(),
			sessionId,
			publicKey: keys.publicKeyPem,
			keyFingerprint: keys.fingerprint
		};
		writer.write('meta', payload);
		writer.checkpoint();
		return writer;
	}

	get isClosed(): boolean {
		return this.closed;
	}

	/** Number of records written so far (the next record's seq). */
	get records(): number {
		return this.seq;
	}

	/**
	 * Append one record now; returns its seq. Traffic normally goes through
	 * `appendTraffic`, so a traffic batch may land after records appended later:
	 * readers order traffic by each event's own `timeUs`.
	 */
	append<T extends AppendableType>(type: T, payload: PayloadMap[T], timeUs = nowUs()): number {
		if (this.closed) throw new Error(`recording ${this.path} is closed`);
		const seq = this.write(type, payload, timeUs);
		if (this.seq - 1 - this.lastCheckpoint >= this.checkpointRecords) this.checkpoint();
		return seq;
	}

	/** Queue one traffic event; events are written compressed in batches. */
	appendTraffic(event: TrafficEvent): void {
		if (this.closed) return;
		this.trafficBatch.push(event);
		this.trafficBytes += 48 + (event.type === 'data' ? event.bytes.length : 0);
		if (this.trafficBytes >= this.trafficBatchBytes) this.flushTraffic();
		else if (!this.trafficTimer) {
			this.trafficTimer = setTimeout(() => this.flushTraffic(), this.trafficFlushMs);
			this.trafficTimer.unref();
		}
	}

	/** Write the queued traffic events as one record. */
	flushTraffic(): void {
		if (this.trafficTimer) {
			clearTimeout(this.trafficTimer);
			this.trafficTimer = null;
		}
		if (this.trafficBatch.length === 0 || this.closed) return;
		const events = this.trafficBatch;
		this.trafficBatch = [];
		this.trafficBytes = 0;
		this.write('traffic', { events }, events[0].timeUs);
		if (this.seq - 1 - this.lastCheckpoint >= this.checkpointRecords) this.checkpoint();
	}

	/** Sign the chain head, write the checkpoint record and fsync. */
	checkpoint(): void {
		if (this.closed) return;
		this.flushTrafficQuietly();
		const through = this.seq - 1;
		if (through <= this.lastCheckpoint) return;
		const from = this.signedThrough + 1;
		const head = this.prevHash;
		const hashes = Buffer.concat(this.links);
		const signature = sign(null, signedBytes(from, through, head, hashes), this.keys.privateKey);
		this.write('checkpoint', {
			from,
			through,
			head: toHex(head),
			key: this.keys.fingerprint,
			hashes: new Uint8Array(hashes),
			signature: signature.toString('base64')
		});
		// The checkpoint record itself is the first record the next checkpoint covers.
		this.links = this.links.slice(-1);
		this.signedThrough = through;
		this.lastCheckpoint = this.seq - 1;
		fs.fsyncSync(this.fd);
	}

	/** Write the end record and a final checkpoint, then close the file. */
	close(reason = 'session ended'): void {
		if (this.closed) return;
		this.flushTrafficQuietly();
		this.write('end', { reason });
		this.checkpoint();
		this.closed = true;
		if (this.checkpointTimer) clearInterval(this.checkpointTimer);
		this.checkpointTimer = null;
		fs.closeSync(this.fd);
	}

	private flushTrafficQuietly(): void {
		if (this.trafficTimer) {
			clearTimeout(this.trafficTimer);
			this.trafficTimer = null;
		}
		if (this.trafficBatch.length === 0) return;
		const events = this.trafficBatch;
		this.trafficBatch = [];
		this.trafficBytes = 0;
		this.write('traffic', { events }, events[0].timeUs);
	}

	private write<T extends RecordType>(type: T, payload: PayloadMap[T], timeUs = nowUs()): number {
		let body = type === 'traffic' ? encodeTrafficPayload((payload as PayloadMap['traffic']).events) : encodePayload(payload);
		let flags = 0;
		if (type === 'traffic' || body.length >= COMPRESS_FROM_BYTES) {
			const packed = compress(body);
			if (packed.length < body.length || type === 'traffic') {
				body = packed;
				flags |= FLAG_DEFLATE;
			}
		}
		const seq = this.seq;
		const { frame, hash } = encodeFrame(seq, timeUs, RECORD_TYPES[type], flags, this.prevHash, body);
		let written = 0;
		while (written < frame.length) written += fs.writeSync(this.fd, frame, written, frame.length - written);
		this.prevHash = hash;
		this.links.push(hash.subarray(0, LINK_BYTES));
		this.seq++;
		return seq;
	}
}
