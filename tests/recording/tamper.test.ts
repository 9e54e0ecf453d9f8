/**
 * Tampering with a recording: every kind of change is rejected and the first
 * problem names the exact record that was changed, dropped, moved or inserted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAGIC, verifyRecording, type LabRecord } from '../../server/recording/index';
import {
	dropFrame,
	forgeFrame,
	frameSpans,
	generateRecordingKeys,
	insertBefore,
	rebuild,
	swapFrames,
	writeSession
} from './helpers';

const keys = generateRecordingKeys();
const other = generateRecordingKeys();
const session = writeSession(keys);
const { bytes } = session;
const written = [session.path];
afterAll(() => {
	for (const file of written) fs.rmSync(path.dirname(file), { recursive: true, force: true });
});
const frames = frameSpans(bytes);
const last = frames.length - 1;

/** The seq of the record holding byte `offset` (seq 0 for the file header). */
function recordAt(offset: number): number {
	for (const f of frames) if (offset >= f.offset && offset < f.offset + f.bytes.length) return f.seq;
	return 0;
}

describe('a recording as written', () => {
	it('verifies, and frames are numbered 0..n-1', () => {
		const result = verifyRecording(bytes, { trustedKeys: [keys.publicKeyPem] });
		expect(result.problems).toEqual([]);
		expect(result.ok).toBe(true);
		expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i));
		expect(result.verifiedThrough).toBe(last);
		expect(result.signedThrough).toBe(last - 1);
	});
});

describe('a flipped byte', () => {
	it('anywhere in the file is rejected, naming the record that holds the byte', () => {
		const misses: string[] = [];
		// Every header, hash and link byte, and every fifth payload byte (kept short for the test budget).
		const heads = new Set<number>();
		for (const f of frames) {
			for (let i = 0; i < 50; i++) heads.add(f.offset + i);
			for (let i = f.bytes.length - 32; i < f.bytes.length; i++) heads.add(f.offset + i);
		}
		for (let offset = 0; offset < bytes.length; offset++) {
			if (offset >= MAGIC.length && !heads.has(offset) && offset % 5 !== 0) continue;
			const copy = bytes.slice();
			copy[offset] ^= 0x20;
			const result = verifyRecording(copy, { skipDecode: true });
			const first = result.problems[0];
			if (result.ok || first.seq !== recordAt(offset)) {
				misses.push(`byte ${offset} (record ${recordAt(offset)}): ${result.ok ? 'accepted' : `${first.kind} at ${first.seq}: ${first.message}`}`);
			}
			if (!result.ok) expect(result.verifiedThrough).toBeLessThan(recordAt(offset));
		}
		expect(misses).toEqual([]);
	});

	it('in each region of one record reports a hash problem at that record', () => {
		const f = frames[5];
		const regions = { seq: 5, time: 12, type: 16, flags: 17, prevHash: 30, payload: 60, ownHash: f.bytes.length - 3 };
		for (const [region, at] of Object.entries(regions)) {
			const copy = bytes.slice();
			copy[f.offset + at] ^= 0x01;
			const result = verifyRecording(copy);
			expect(result.problems[0], region).toMatchObject({ seq: 5, kind: 'hash' });
			expect(result.problems[0].message).toContain('record 5');
			expect(result.verifiedThrough).toBe(4);
		}
	});
});

describe('dropped, reordered and inserted records', () => {
	it('a dropped record is named as missing', () => {
		for (let i = 0; i < last; i++) {
			const result = verifyRecording(dropFrame(bytes, i));
			expect(result.ok).toBe(false);
			expect(result.problems[0], `drop ${i}`).toMatchObject({ seq: i, kind: 'order' });
			expect(result.problems[0].message).toMatch(/missing/);
			expect(result.verifiedThrough).toBe(i - 1);
		}
	});

	it('dropping the final checkpoint is reported as a cut-off end', () => {
		const result = verifyRecording(dropFrame(bytes, last));
		expect(result.problems[0]).toMatchObject({ seq: last, kind: 'truncated' });
	});

	it('two swapped records name the one that came too early', () => {
		for (let i = 0; i < last; i++) {
			const result = verifyRecording(swapFrames(bytes, i));
			expect(result.ok).toBe(false);
			expect(result.problems[0], `swap ${i}`).toMatchObject({ seq: i + 1, kind: 'order' });
			expect(result.problems[0].message).toMatch(/out of order/);
		}
	});

	it('a copy of an existing record inserted anywhere is named', () => {
		for (const copied of [2, 6, 9]) {
			for (const before of [1, 4, 8, last]) {
				const result = verifyRecording(insertBefore(bytes, before, frames[copied].bytes));
				expect(result.ok, `copy ${copied} before ${before}`).toBe(false);
				expect(result.problems.map((p) => p.seq), `copy ${copied} before ${before}`).toContain(copied);
				expect(result.problems[0].kind).toBe('order');
			}
		}
	});

	it('a forged record linked into the chain is named, not the real one', () => {
		const records = frames.map((f) => verifyRecording(bytes).records.find((r) => r.seq === f.seq) as LabRecord);
		for (const k of [3, 7, 10]) {
			const fake: LabRecord = { seq: k, timeUs: records[k].timeUs, type: 'note', payload: { text: 'I did this myself' } };
			const forged = forgeFrame(fake, frames[k - 1].storedHash);
			const tampered = insertBefore(bytes, k, forged);
			const result = verifyRecording(tampered);
			expect(result.problems[0], `insert before ${k}`).toMatchObject({ seq: k, kind: 'order', offset: frames[k].offset });
			expect(result.problems[0].message).toMatch(/inserted/);
			// The real records are still the ones decoded.
			expect(result.records.find((r) => r.seq === k)?.type).toBe(records[k].type);
		}
	});

	it('a forged record with a made-up link is named', () => {
		const fake: LabRecord = { seq: 6, timeUs: 1, type: 'answer', payload: { question: 'q1', answer: 'copied' } };
		const forged = forgeFrame(fake, new Uint8Array(32).fill(7));
		const result = verifyRecording(insertBefore(bytes, 6, forged));
		expect(result.problems[0]).toMatchObject({ seq: 6, kind: 'order', offset: frames[6].offset });
	});
});

describe('rewriting without the key', () => {
	it('an edited record with the whole chain recomputed is named by the next checkpoint', () => {
		for (const k of [2, 5, 9]) {
			const tampered = rebuild(bytes, (records) =>
				records.map((r) => (r.seq === k && r.type !== 'checkpoint' ? ({ ...r, timeUs: r.timeUs + 1 } as LabRecord) : r))
			);
			const result = verifyRecording(tampered);
			expect(result.problems[0], `edit ${k}`).toMatchObject({ seq: k, kind: 'hash' });
			expect(result.problems[0].message).toMatch(/rewritten after signing/);
		}
	});

	it('a checkpoint signature from another key is rejected at that checkpoint', () => {
		const cp = frames.findIndex((f, i) => i > 3 && verifyRecording(bytes).records[i]?.type === 'checkpoint');
		const tampered = rebuild(bytes, (records) => {
			const out = records.slice();
			const forgedWhole = verifyRecording(rebuild(bytes, (r) => r, other)).records;
			out[cp] = forgedWhole[cp];
			return out;
		});
		const result = verifyRecording(tampered);
		expect(result.problems[0]).toMatchObject({ seq: cp, kind: 'signature' });
	});

	it('a recording re-signed whole with another key verifies alone but is rejected when keys are pinned', () => {
		const forged = rebuild(bytes, (r) => r, other);
		expect(verifyRecording(forged).ok).toBe(true);
		const pinned = verifyRecording(forged, { trustedKeys: [keys.publicKeyPem] });
		expect(pinned.ok).toBe(false);
		expect(pinned.problems[0]).toMatchObject({ seq: 0, kind: 'untrusted-key' });
		expect(pinned.verifiedThrough).toBe(-1);
		expect(verifyRecording(forged, { trustedKeys: [other.fingerprint] }).ok).toBe(true);
	});

	it('a recording signed by another tutor key is rejected when keys are pinned', () => {
		const otherSession = writeSession(other);
		written.push(otherSession.path);
		const elsewhere = otherSession.bytes;
		const result = verifyRecording(elsewhere, { trustedKeys: [keys.fingerprint] });
		expect(result.problems).toHaveLength(1);
		expect(result.problems[0]).toMatchObject({ seq: 0, kind: 'untrusted-key' });
		expect(verifyRecording(elsewhere, { trustedKeys: [keys.fingerprint, other.publicKeyPem] }).ok).toBe(true);
	});
});

describe('a truncated tail', () => {
	it('cut at every record boundary reports the missing record and what verified before it', () => {
		for (let i = 0; i < last; i++) {
			const end = frames[i].offset + frames[i].bytes.length;
			const result = verifyRecording(bytes.subarray(0, end));
			expect(result.ok).toBe(false);
			expect(result.problems, `cut after ${i}`).toHaveLength(1);
			expect(result.problems[0]).toMatchObject({ seq: i + 1, kind: 'truncated' });
			expect(result.verifiedThrough).toBe(i);
			expect(result.records.map((r) => r.seq)).toEqual(frames.slice(0, i + 1).map((f) => f.seq));
			expect(result.signedThrough).toBeLessThanOrEqual(i);
			if (i >= 1) expect(result.signedThrough).toBeGreaterThanOrEqual(0);
		}
	});

	it('cut inside a record names that record', () => {
		for (const f of frames) {
			for (const into of [1, 3, 4, 20, f.bytes.length - 1]) {
				const result = verifyRecording(bytes.subarray(0, f.offset + into));
				expect(result.problems, `cut ${into} into ${f.seq}`).toHaveLength(1);
				expect(result.problems[0]).toMatchObject({ seq: f.seq, kind: 'truncated' });
				expect(result.problems[0].message).toContain(`record ${f.seq}`);
				expect(result.verifiedThrough).toBe(f.seq - 1);
			}
		}
	});

	it('cut inside the header or right after it names record 0', () => {
		for (const end of [0, 3, MAGIC.length]) {
			const result = verifyRecording(bytes.subarray(0, end));
			expect(result.problems[0]).toMatchObject({ seq: 0, kind: 'truncated' });
			expect(result.verifiedThrough).toBe(-1);
		}
	});
});
