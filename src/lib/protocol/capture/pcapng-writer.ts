/**
 * Writes pcapng blocks: one Section Header Block, one Interface Description
 * Block and an Enhanced Packet Block per frame, little-endian, microsecond
 * timestamps (the format's default resolution). Output is a list of byte
 * blocks, so a caller can stream them to a file as they are made.
 */

import { utf8 } from '../bytes';
import { BLOCK_EPB, BLOCK_IDB, BLOCK_SHB, BYTE_ORDER_MAGIC } from './pcapng';

export interface PcapngWriterOptions {
	linkType: number;
	snapLength?: number;
	interfaceName?: string;
	interfaceDescription?: string;
	/** shb_userappl: the program that wrote the file. */
	application?: string;
	/** Section comments (opt_comment), one option each. */
	comments?: string[];
}

type Opt = [code: number, value: Uint8Array];

function optionsLength(opts: readonly Opt[]): number {
	if (opts.length === 0) return 0;
	let n = 4; // opt_endofopt
	for (const [, v] of opts) n += 4 + ((v.length + 3) & ~3);
	return n;
}

function writeOptions(view: DataView, out: Uint8Array, at: number, opts: readonly Opt[]): number {
	if (opts.length === 0) return at;
	for (const [code, v] of opts) {
		view.setUint16(at, code, true);
		view.setUint16(at + 2, v.length, true);
		out.set(v, at + 4);
		at += 4 + ((v.length + 3) & ~3);
	}
	return at + 4; // opt_endofopt is zeros already
}

function block(type: number, fixed: number, opts: readonly Opt[], fill: (view: DataView, out: Uint8Array) => void): Uint8Array {
	const total = 12 + fixed + optionsLength(opts);
	const out = new Uint8Array(total);
	const view = new DataView(out.buffer);
	view.setUint32(0, type, true);
	view.setUint32(4, total, true);
	fill(view, out);
	writeOptions(view, out, 8 + fixed, opts);
	view.setUint32(total - 4, total, true);
	return out;
}

export class PcapngWriter {
	constructor(private readonly options: PcapngWriterOptions) {}

	/** The section header and the interface description: the file's first bytes. */
	header(): Uint8Array[] {
		const o = this.options;
		const shbOpts: Opt[] = (o.comments ?? []).map((c) => [1, utf8(c)] as Opt);
		if (o.application) shbOpts.push([4, utf8(o.application)]);
		const shb = block(BLOCK_SHB, 16, shbOpts, (view) => {
			view.setUint32(8, BYTE_ORDER_MAGIC, true);
			view.setUint16(12, 1, true);
			view.setUint16(14, 0, true);
			// Section length unknown: -1 (all bits set).
			view.setInt32(16, -1, true);
			view.setInt32(20, -1, true);
		});
		const idbOpts: Opt[] = [];
		if (o.interfaceName) idbOpts.push([2, utf8(o.interfaceName)]);
		if (o.interfaceDescription) idbOpts.push([3, utf8(o.interfaceDescription)]);
		const idb = block(BLOCK_IDB, 8, idbOpts, (view) => {
			view.setUint16(8, o.linkType, true);
			view.setUint32(12, o.snapLength ?? 262144, true);
		});
		return [shb, idb];
	}

	/** One frame: `timeUs` is microseconds since the Unix epoch. */
	packet(timeUs: number, data: Uint8Array, comment?: string): Uint8Array {
		const padded = (data.length + 3) & ~3;
		const opts: Opt[] = comment ? [[1, utf8(comment)]] : [];
		const ts = BigInt(Math.round(timeUs));
		return block(BLOCK_EPB, 20 + padded, opts, (view, out) => {
			view.setUint32(8, 0, true);
			view.setUint32(12, Number(ts >> 32n), true);
			view.setUint32(16, Number(ts & 0xffffffffn), true);
			view.setUint32(20, data.length, true);
			view.setUint32(24, data.length, true);
			out.set(data, 28);
		});
	}
}
