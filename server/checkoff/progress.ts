/**
 * A one-line progress bar for batches, redrawn in place on stderr. It is
 * shown only on a terminal (or when asked for), so logs and pipes stay clean.
 */

export class ProgressBar {
	private last = 0;
	private shown = false;

	constructor(
		private readonly total: number,
		private readonly out: NodeJS.WriteStream | { write(text: string): boolean; columns?: number },
		private readonly enabled: boolean
	) {}

	update(done: number, current = ''): void {
		if (!this.enabled || this.total === 0) return;
		const now = Date.now();
		if (done < this.total && now - this.last < 80) return;
		this.last = now;
		const columns = Math.max(40, Math.min(120, this.out.columns ?? 80));
		const width = 24;
		const filled = Math.round((done / this.total) * width);
		const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total}`;
		const room = columns - bar.length - 2;
		const name = current.length > room ? `…${current.slice(current.length - room + 1)}` : current;
		this.out.write(`\r${bar} ${name}`.padEnd(columns - 1).slice(0, columns - 1));
		this.shown = true;
	}

	/** Clears the line so the table starts on a clean one. */
	done(): void {
		if (!this.shown) return;
		const columns = Math.max(40, Math.min(120, this.out.columns ?? 80));
		this.out.write(`\r${' '.repeat(columns - 1)}\r`);
		this.shown = false;
	}
}
