/**
 * A terminal's recorded output as an asciicast v2 file (asciinema's format):
 * one JSON header line, then one JSON array per output event,
 * `[seconds since the start, "o", text]`. Bytes are decoded as UTF-8 across
 * chunk boundaries, so a character split between two records stays whole.
 * Browser-safe.
 */

export interface CastChunk {
	/** Microseconds since the epoch. */
	timeUs: number;
	bytes: Uint8Array;
}

export interface CastOptions {
	width?: number;
	height?: number;
	/** Microseconds since the epoch the times count from (default: the first chunk). */
	startUs?: number;
	title?: string;
	/** Typed input too, as "i" events. */
	input?: CastChunk[];
}

export function toAsciicast(output: readonly CastChunk[], options: CastOptions = {}): string {
	const startUs = options.startUs ?? output[0]?.timeUs ?? options.input?.[0]?.timeUs ?? 0;
	const header: Record<string, unknown> = {
		version: 2,
		width: options.width ?? 80,
		height: options.height ?? 24,
		timestamp: Math.floor(startUs / 1e6),
		env: { TERM: 'xterm-256color' }
	};
	if (options.title) header.title = options.title;
	const events: { t: number; kind: 'o' | 'i'; text: string }[] = [];
	const decode = (chunks: readonly CastChunk[], kind: 'o' | 'i') => {
		const decoder = new TextDecoder('utf-8');
		for (const c of chunks) {
			const text = decoder.decode(c.bytes, { stream: true });
			if (text) events.push({ t: Math.max(0, c.timeUs - startUs) / 1e6, kind, text });
		}
		const rest = decoder.decode();
		if (rest && chunks.length) events.push({ t: Math.max(0, chunks[chunks.length - 1].timeUs - startUs) / 1e6, kind, text: rest });
	};
	decode(output, 'o');
	if (options.input) decode(options.input, 'i');
	// Stable: output before input at the same instant keeps the order each was recorded in.
	events.sort((a, b) => a.t - b.t);
	const lines = [JSON.stringify(header)];
	for (const e of events) lines.push(JSON.stringify([Number(e.t.toFixed(6)), e.kind, e.text]));
	return `${lines.join('\n')}\n`;
}
