/**
 * Verifies a `.labrec` recording and names the first record that is wrong.
 *
 * Each frame is checked on its own first (its stored SHA-256 against its
 * bytes), then placed in the chain by seq and previous-record hash, which
 * tells a changed record from a dropped, moved or inserted one. Last, every
 * checkpoint's Ed25519 signature is checked against the chain head it names,
 * with the public key from the meta record, optionally pinned by `trustedKeys`.
 */

import { createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { HASH_BYTES, LINK_BYTES, ZERO_HASH, recordTypeName, signedBytes, toHex, type CheckpointPayload, type LabRecord, type MetaPayload } from './format';
import { fingerprintOf, trustedFingerprints } from './keys';
import { decodeFrame, readFrames, sameBytes, type Frame } from './reader';

export type ProblemKind = 'hash' | 'signature' | 'order' | 'truncated' | 'format' | 'untrusted-key';

export interface Problem {
	/** The record the problem is about (for a missing or cut-off record, the seq it would have). */
	seq: number;
	kind: ProblemKind;
	message: string;
	/** Byte offset in the file, when the problem is at a frame. */
	offset?: number;
}

export interface VerifyOptions {
	/** Pinned public keys (PEM, fingerprint hex or KeyObject); when given, any other signing key is rejected. */
	trustedKeys?: ReadonlyArray<string | KeyObject> | ReadonlySet<string>;
	/** Skip decoding payloads (faster when only the verdict is needed). Default false. */
	skipDecode?: boolean;
}

export interface VerifyResult {
	ok: boolean;
	meta: MetaPayload | null;
	/** Decoded records in seq order (damaged ones left out). */
	records: LabRecord[];
	/** Last seq such that every record up to it is intact and in place; -1 when none. */
	verifiedThrough: number;
	/** Last seq covered by a valid checkpoint signature with nothing wrong before it; -1 when none. */
	signedThrough: number;
	/** The file has its end record. */
	complete: boolean;
	/** Fingerprint of the key the recording says signed it. */
	keyFingerprint: string | null;
	problems: Problem[];
}

interface Placed {
	frame: Frame;
	/** The hash later records link to (the stored one, even for a changed frame). */
	hash: Uint8Array;
	damaged: boolean;
}

const at = (f: Frame) => `at byte ${f.offset}`;

/** Chain placement: which frame holds each seq, and what is out of place. */
function placeFrames(frames: Frame[], problems: Problem[]): Placed[] {
	const placed: Placed[] = [];
	const pending = new Map<number, Frame>();
	let prevHash: Uint8Array = ZERO_HASH;
	/** The recomputed hash of the last placed frame when it was changed, which its successor links to. */
	let prevAlt: Uint8Array | null = null;
	let expected = 0;
	const links = (f: Frame) => sameBytes(f.prevHash, prevHash) || (prevAlt !== null && sameBytes(f.prevHash, prevAlt));
	const accept = (seq: number, frame: Frame, damaged = false) => {
		placed[seq] = { frame, hash: frame.storedHash, damaged };
		prevHash = frame.storedHash;
		prevAlt = damaged ? frame.computedHash : null;
		expected = seq + 1;
		for (let p = pending.get(expected); p && links(p); p = pending.get(expected)) {
			pending.delete(expected);
			placed[expected] = { frame: p, hash: p.storedHash, damaged: false };
			prevHash = p.storedHash;
			prevAlt = null;
			expected++;
		}
	};
	const seqAhead = (from: number, seq: number) => {
		for (let j = from; j < frames.length; j++) if (frames[j].seq === seq) return true;
		return false;
	};

	for (let i = 0; i < frames.length; i++) {
		const f = frames[i];
		const next = frames[i + 1];
		if (!sameBytes(f.storedHash, f.computedHash)) {
			const seq = expected;
			const said = f.seq === seq ? '' : ` (its header now says ${f.seq})`;
			problems.push({ seq, kind: 'hash', offset: f.offset, message: `record ${seq} ${at(f)} was changed: its bytes no longer match its SHA-256${said}` });
			accept(seq, f, true);
			continue;
		}
		const last = placed[expected - 1];
		if (f.seq === expected && links(f)) {
			accept(f.seq, f);
		} else if (last && f.seq === expected - 1 && sameBytes(f.prevHash, last.frame.prevHash)) {
			// Two records claim the same seq and the same predecessor: the one the next record links to is real.
			const copy = sameBytes(f.bytes, last.frame.bytes);
			if (!copy && next && sameBytes(next.prevHash, f.storedHash)) {
				problems.push({
					seq: f.seq,
					kind: 'order',
					offset: last.frame.offset,
					message: `record ${f.seq} ${at(last.frame)} was inserted: the record after it belongs to another record ${f.seq} ${at(f)}`
				});
				placed[f.seq] = { frame: f, hash: f.storedHash, damaged: false };
				prevHash = f.storedHash;
			} else {
				problems.push({
					seq: f.seq,
					kind: 'order',
					offset: f.offset,
					message: copy
						? `record ${f.seq} appears twice (${at(last.frame)} and ${at(f)}): the second copy was inserted`
						: `record ${f.seq} ${at(f)} was inserted: a record ${f.seq} is already in place ${at(last.frame)}`
				});
			}
		} else if (f.seq < expected) {
			problems.push({
				seq: f.seq,
				kind: 'order',
				offset: f.offset,
				message: `record ${f.seq} ${at(f)} is out of place: it comes after record ${expected - 1} (moved or inserted)`
			});
		} else if (f.seq > expected) {
			if (seqAhead(i + 1, expected)) {
				problems.push({
					seq: f.seq,
					kind: 'order',
					offset: f.offset,
					message: `record ${f.seq} ${at(f)} is out of order: it comes before record ${expected}`
				});
				if (!pending.has(f.seq)) pending.set(f.seq, f);
			} else {
				const missing = f.seq - expected === 1 ? `record ${expected} is` : `records ${expected}-${f.seq - 1} are`;
				problems.push({ seq: expected, kind: 'order', offset: f.offset, message: `${missing} missing: record ${f.seq} ${at(f)} follows record ${expected - 1}` });
				accept(f.seq, f);
			}
		} else if (next && next.seq === f.seq && sameBytes(next.prevHash, prevHash)) {
			// Right seq, wrong predecessor, and the real record follows: this one was slipped in.
			problems.push({
				seq: f.seq,
				kind: 'order',
				offset: f.offset,
				message: `record ${f.seq} ${at(f)} was inserted: it does not link to record ${f.seq - 1}, the record after it does`
			});
		} else {
			problems.push({
				seq: f.seq,
				kind: 'hash',
				offset: f.offset,
				message: `record ${f.seq} ${at(f)} does not link to record ${f.seq - 1}: its previous-record hash differs`
			});
			accept(f.seq, f);
		}
	}
	return placed;
}

/** Checks one checkpoint; returns what is wrong with it, or null when it signs the records it names. */
function checkCheckpoint(
	seq: number,
	cp: CheckpointPayload,
	placed: Placed[],
	publicKey: KeyObject,
	keyFingerprint: string | null,
	expectedFrom: number
): Problem | null {
	const hashes = cp.hashes instanceof Uint8Array ? cp.hashes : new Uint8Array(0);
	const count = cp.through - cp.from + 1;
	if (
		!Number.isInteger(cp.through) ||
		!Number.isInteger(cp.from) ||
		cp.through >= seq ||
		cp.from > cp.through ||
		hashes.length !== count * LINK_BYTES
	) {
		return { seq, kind: 'format', message: `checkpoint ${seq} names records ${cp.from}-${cp.through}, which it cannot sign` };
	}
	if (cp.key !== keyFingerprint) {
		return {
			seq,
			kind: 'signature',
			message: `checkpoint ${seq} was signed by key ${String(cp.key).slice(0, 16)}, not the recording's key ${keyFingerprint?.slice(0, 16)}`
		};
	}
	const head = Buffer.from(String(cp.head), 'hex');
	const good =
		head.length === HASH_BYTES &&
		verifySignature(null, signedBytes(cp.from, cp.through, head, hashes), publicKey, Buffer.from(String(cp.signature), 'base64'));
	if (!good) return { seq, kind: 'signature', message: `the signature of checkpoint ${seq} does not verify with the recording's public key` };
	if (cp.from !== expectedFrom) {
		return { seq, kind: 'order', message: `checkpoint ${seq} signs records from ${cp.from}, but the previous checkpoint ended before ${expectedFrom}` };
	}
	// The signature is good: any record that differs from the signed list was rewritten after signing.
	for (let s = cp.from; s <= cp.through; s++) {
		const p = placed[s];
		const signed = hashes.subarray((s - cp.from) * LINK_BYTES, (s - cp.from + 1) * LINK_BYTES);
		if (!p || !sameBytes(p.hash.subarray(0, LINK_BYTES), signed)) {
			return {
				seq: s,
				kind: 'hash',
				offset: p?.frame.offset,
				message: `record ${s} is not the record checkpoint ${seq} signed: it was rewritten after signing`
			};
		}
	}
	if (toHex(placed[cp.through].hash) !== String(cp.head)) {
		return { seq: cp.through, kind: 'hash', message: `record ${cp.through} is not the chain head checkpoint ${seq} signed` };
	}
	return null;
}

function toFingerprints(keys: VerifyOptions['trustedKeys']): Set<string> | null {
	if (keys === undefined) return null;
	if (keys instanceof Set) return new Set([...keys].map((k) => k.replace(/:/g, '').toLowerCase()));
	return trustedFingerprints(keys as ReadonlyArray<string | KeyObject>);
}

export function verifyRecording(input: Uint8Array | string, options: VerifyOptions = {}): VerifyResult {
	const bytes = typeof input === 'string' ? new Uint8Array(fs.readFileSync(input)) : input;
	const problems: Problem[] = [];
	const { frames, stop } = readFrames(bytes);
	const placed = placeFrames(frames, problems);
	const lastSeq = placed.length - 1;

	// Decode in seq order.
	const records: LabRecord[] = [];
	const decoded: (LabRecord | undefined)[] = [];
	for (let seq = 0; seq < placed.length; seq++) {
		const p = placed[seq];
		if (!p || p.damaged) continue;
		const type = recordTypeName(p.frame.typeCode);
		const needed = type === 'meta' || type === 'checkpoint' || type === 'end' || !options.skipDecode;
		if (!needed) continue;
		try {
			const record = decodeFrame(p.frame);
			decoded[seq] = record;
			records.push(record);
		} catch (e) {
			problems.push({ seq, kind: 'format', offset: p.frame.offset, message: `record ${seq} ${at(p.frame)} cannot be read: ${(e as Error).message}` });
		}
	}

	if (stop.kind !== 'end') {
		problems.push({
			seq: lastSeq + 1,
			kind: stop.kind,
			offset: stop.offset,
			message: `record ${lastSeq + 1} at byte ${stop.offset} ${stop.kind === 'truncated' ? 'is cut off' : 'cannot be framed'}: ${stop.message}`
		});
	}

	// The meta record and the signing key.
	let meta: MetaPayload | null = null;
	let publicKey: KeyObject | null = null;
	let keyFingerprint: string | null = null;
	const first = decoded[0];
	if (first?.type === 'meta') {
		meta = first.payload;
		try {
			publicKey = createPublicKey(meta.publicKey);
			if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error(`a ${publicKey.asymmetricKeyType} key`);
			keyFingerprint = fingerprintOf(publicKey);
		} catch (e) {
			publicKey = null;
			problems.push({ seq: 0, kind: 'format', message: `the meta record's public key is unusable (${(e as Error).message})` });
		}
	} else if (placed[0] && !placed[0].damaged && first) {
		problems.push({ seq: 0, kind: 'format', message: `the recording starts with a ${first.type} record, not its meta record` });
	} else if (frames.length === 0 && stop.kind === 'end') {
		problems.push({ seq: 0, kind: 'truncated', message: 'the file holds the .labrec header but no records' });
	}
	const pinned = toFingerprints(options.trustedKeys);
	if (pinned && keyFingerprint && !pinned.has(keyFingerprint)) {
		problems.push({
			seq: 0,
			kind: 'untrusted-key',
			message: `the recording is signed by key ${keyFingerprint.slice(0, 16)}, which is not one of the pinned keys`
		});
	}

	// The end record, and nothing after it but the final checkpoint.
	let endSeq = -1;
	const checkpoints: { seq: number; payload: CheckpointPayload }[] = [];
	for (let seq = 0; seq < decoded.length; seq++) {
		const record = decoded[seq];
		if (!record) continue;
		if (record.type === 'end') {
			if (endSeq < 0) endSeq = seq;
			continue;
		}
		if (endSeq >= 0 && !(record.type === 'checkpoint' && seq === endSeq + 1)) {
			problems.push({ seq, kind: 'order', message: `record ${seq} (${record.type}) comes after the end record ${endSeq}` });
		}
		if (record.type === 'checkpoint') checkpoints.push({ seq, payload: record.payload });
	}

	// Checkpoint signatures, newest first. When the chain is intact, a good
	// checkpoint vouches for every byte before it, older checkpoints included,
	// so their signatures need no separate check.
	const chainIntact = problems.every((p) => p.kind === 'untrusted-key');
	const signedRanges: number[] = [];
	let vouchedThrough = -1;
	/** One problem per record; a checkpoint's own bad signature explains it better than a later list mismatch. */
	const found = new Map<number, Problem>();
	for (let i = checkpoints.length - 1; i >= 0 && publicKey; i--) {
		const { seq, payload } = checkpoints[i];
		if (chainIntact && seq <= vouchedThrough) {
			signedRanges.push(payload.through);
			continue;
		}
		const expectedFrom = i > 0 ? checkpoints[i - 1].payload.through + 1 : 0;
		const problem = checkCheckpoint(seq, payload, placed, publicKey, keyFingerprint, expectedFrom);
		if (!problem) {
			signedRanges.push(payload.through);
			vouchedThrough = Math.max(vouchedThrough, payload.through);
		} else if (!found.has(problem.seq) || problem.kind === 'signature') found.set(problem.seq, problem);
	}
	for (const problem of found.values()) if (!problems.some((p) => p.seq === problem.seq)) problems.push(problem);
	signedRanges.sort((a, b) => a - b);
	let signedThrough = -1;
	const complete = endSeq >= 0;
	if (complete) {
		const lastSigned = signedRanges.at(-1) ?? -1;
		if (lastSigned < endSeq && !placed[endSeq + 1] && stop.kind === 'end') {
			problems.push({
				seq: endSeq + 1,
				kind: 'truncated',
				message: `the final checkpoint after end record ${endSeq} is missing, so records ${lastSigned + 1}-${endSeq} are not signed`
			});
		}
	} else if (stop.kind === 'end' && frames.length > 0) {
		problems.push({
			seq: lastSeq + 1,
			kind: 'truncated',
			message: `the recording stops after record ${lastSeq} without its end record (cut short, or the tutor stopped without closing it)`
		});
	}

	problems.sort((a, b) => a.seq - b.seq);
	const firstBad = problems.length > 0 ? problems[0].seq : Infinity;
	let verifiedThrough = -1;
	while (verifiedThrough + 1 < placed.length && verifiedThrough + 1 < firstBad && placed[verifiedThrough + 1]) verifiedThrough++;
	for (const through of signedRanges) if (through < firstBad && through <= verifiedThrough) signedThrough = Math.max(signedThrough, through);

	return { ok: problems.length === 0, meta, records, verifiedThrough, signedThrough, complete, keyFingerprint, problems };
}

/** One line per problem, for CLIs. */
export function describeProblems(result: VerifyResult): string[] {
	return result.problems.map((p) => `record ${p.seq}: ${p.kind}: ${p.message}`);
}
