/**
 * TCP reassembly for one direction of a connection (RFC 9293 section 3.10.7.4:
 * a receiver processes segments in sequence-number order). Segments may come
 * out of order, repeat (retransmissions) or overlap; every byte is delivered
 * exactly once, in order. Sequence numbers wrap at 2^32, so positions are
 * compared as signed 32-bit differences from the next expected number.
 *
 * A direction whose SYN was not captured (the capture started mid-connection)
 * takes its first segment's sequence number as the start.
 */

export interface Delivered {
	/** Stream offset of the first byte (0 = first byte after the SYN). */
	offset: number;
	bytes: Uint8Array;
	frame: number;
}

export interface SegmentResult {
	/** Bytes that became deliverable in order, including buffered ones this segment unblocked. */
	delivered: Delivered[];
	retransmission: boolean;
	overlap: boolean;
	outOfOrder: boolean;
	/** Offset of the segment's first byte (may be negative for data before the start). */
	offset: number;
}

/** Which frames delivered which byte ranges, to map a message back to frames. */
export class ByteMap {
	private starts: number[] = [];
	private ends: number[] = [];
	private frames: number[] = [];

	add(start: number, end: number, frame: number): void {
		const n = this.frames.length;
		if (n > 0 && this.frames[n - 1] === frame && this.ends[n - 1] === start) {
			this.ends[n - 1] = end;
			return;
		}
		this.starts.push(start);
		this.ends.push(end);
		this.frames.push(frame);
	}

	/** Frames that delivered bytes in [start, end), in order, without repeats. */
	framesFor(start: number, end: number): number[] {
		let lo = 0;
		let hi = this.ends.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			if (this.ends[mid] <= start) lo = mid + 1;
			else hi = mid;
		}
		const out: number[] = [];
		for (let i = lo; i < this.starts.length && this.starts[i] < end; i++) {
			if (out[out.length - 1] !== this.frames[i]) out.push(this.frames[i]);
		}
		return out;
	}

	/** Drops ranges that end at or before `offset` (bytes no message can still need). */
	forget(offset: number): void {
		let k = 0;
		while (k < this.ends.length - 1 && this.ends[k] <= offset) k++;
		if (k > 0) {
			this.starts.splice(0, k);
			this.ends.splice(0, k);
			this.frames.splice(0, k);
		}
	}
}

interface Pending {
	offset: number;
	bytes: Uint8Array;
	frame: number;
}

/** A hostile capture could make us buffer forever; past this, the gap is declared lost. */
const MAX_PENDING_BYTES = 8 * 1024 * 1024;

export class DirectionReassembler {
	/** Sequence number of stream offset 0, once known. */
	private base: number | null = null;
	/** Next stream offset to deliver. */
	next = 0;
	private pending: Pending[] = [];
	private pendingBytes = 0;
	/** Stream offset of the FIN, once seen. */
	finOffset: number | null = null;
	/** Bytes skipped because the capture missed them (a gap that never filled). */
	lostBytes = 0;
	readonly map = new ByteMap();

	get started(): boolean {
		return this.base !== null;
	}

	/** The sequence number of the SYN: data starts one past it. */
	syn(seq: number): void {
		if (this.base === null) this.base = (seq + 1) >>> 0;
	}

	/** Sequence number → relative number for display (SYN is 0, first data byte 1). */
	relative(seq: number): number {
		if (this.base === null) return 0;
		return ((seq - this.base + 1) >>> 0);
	}

	/** Stream offset of a sequence number, near the delivery point. */
	offsetOf(seq: number): number {
		const base = this.base ?? seq;
		const expected = (base + this.next) >>> 0;
		return this.next + ((seq - expected) | 0);
	}

	/** Whether the whole stream (up to the FIN) has been delivered. */
	get finished(): boolean {
		return this.finOffset !== null && this.next >= this.finOffset;
	}

	segment(seq: number, payload: Uint8Array, frame: number, fin: boolean): SegmentResult {
		if (this.base === null) this.base = seq;
		const offset = this.offsetOf(seq);
		if (fin && this.finOffset === null) this.finOffset = offset + payload.length;
		const result: SegmentResult = { delivered: [], retransmission: false, overlap: false, outOfOrder: false, offset };
		if (payload.length === 0) return result;
		const end = offset + payload.length;
		if (end <= this.next) {
			result.retransmission = true;
			return result;
		}
		if (offset > this.next) {
			result.outOfOrder = true;
			if (this.pending.some((p) => p.offset <= offset && p.offset + p.bytes.length >= end)) {
				result.retransmission = true;
				return result;
			}
			this.pending.push({ offset, bytes: payload, frame });
			this.pending.sort((a, b) => a.offset - b.offset);
			this.pendingBytes += payload.length;
			if (this.pendingBytes > MAX_PENDING_BYTES) this.skipGap(result.delivered);
			return result;
		}
		if (offset < this.next) result.overlap = true;
		this.deliver(offset === this.next ? payload : payload.subarray(this.next - offset), frame, result.delivered);
		this.drain(result.delivered);
		return result;
	}

	/** Gives up on a gap: delivers whatever is buffered after it, counting the missing bytes as lost. */
	skipGap(out: Delivered[] = []): Delivered[] {
		if (this.pending.length === 0) return out;
		const first = this.pending[0];
		if (first.offset > this.next) {
			this.lostBytes += first.offset - this.next;
			this.next = first.offset;
		}
		this.drain(out);
		return out;
	}

	private deliver(bytes: Uint8Array, frame: number, out: Delivered[]): void {
		if (bytes.length === 0) return;
		out.push({ offset: this.next, bytes, frame });
		this.map.add(this.next, this.next + bytes.length, frame);
		this.next += bytes.length;
	}

	private drain(out: Delivered[]): void {
		while (this.pending.length > 0 && this.pending[0].offset <= this.next) {
			const p = this.pending.shift() as Pending;
			this.pendingBytes -= p.bytes.length;
			const end = p.offset + p.bytes.length;
			if (end > this.next) this.deliver(p.bytes.subarray(this.next - p.offset), p.frame, out);
		}
	}
}
