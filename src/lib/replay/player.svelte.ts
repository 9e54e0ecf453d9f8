/**
 * The replay's clock: a position in milliseconds from the start of the
 * recording, playing at 1x to 64x or paused, moved by seeking. Long idle
 * stretches can be skipped: with `skipIdle`, a gap with nothing recorded
 * longer than IDLE_MS passes in a moment.
 */

import type { ReplayData } from './model';

export const SPEEDS = [1, 2, 4, 8, 16, 64] as const;
export const IDLE_MS = 3000;

const frame: (fn: (now: number) => void) => number =
	typeof requestAnimationFrame === 'function' ? requestAnimationFrame : (fn) => setTimeout(() => fn(performance.now()), 16) as unknown as number;
const cancel: (id: number) => void = typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame : (id) => clearTimeout(id);

/** Every moment something happened, sorted, for skipping idle time. */
export function activity(data: ReplayData): number[] {
	const out: number[] = [];
	for (const t of Object.values(data.terminals)) for (const c of [...t.output, ...t.input]) out.push(c.t);
	for (const e of data.traffic) out.push(Math.round((e.timeUs - data.startUs) / 1000));
	for (const m of data.marks) out.push(m.t);
	return out.sort((a, b) => a - b);
}

/** The next moment after `ms` when something happened, or null. */
export function nextActivity(times: readonly number[], ms: number): number | null {
	let lo = 0;
	let hi = times.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (times[mid] <= ms) lo = mid + 1;
		else hi = mid;
	}
	return lo < times.length ? times[lo] : null;
}

export class ReplayPlayer {
	position = $state(0);
	playing = $state(false);
	speed = $state<number>(1);
	skipIdle = $state(true);
	readonly duration: number;
	private readonly times: number[];
	private handle = 0;
	private last = 0;

	constructor(data: ReplayData) {
		this.duration = data.durationMs;
		this.times = activity(data);
	}

	play(): void {
		if (this.playing) return;
		if (this.position >= this.duration) this.position = 0;
		this.playing = true;
		this.last = performance.now();
		this.handle = frame((now) => this.tick(now));
	}

	pause(): void {
		this.playing = false;
		cancel(this.handle);
	}

	toggle(): void {
		if (this.playing) this.pause();
		else this.play();
	}

	seek(ms: number): void {
		this.position = Math.max(0, Math.min(this.duration, Math.round(ms)));
	}

	destroy(): void {
		this.pause();
	}

	private tick(now: number): void {
		if (!this.playing) return;
		const elapsed = Math.min(250, now - this.last) * this.speed;
		this.last = now;
		let next = this.position + elapsed;
		if (this.skipIdle) {
			const upcoming = nextActivity(this.times, this.position);
			if (upcoming !== null && upcoming - this.position > IDLE_MS && next < upcoming) next = Math.max(next, upcoming - 500);
		}
		if (next >= this.duration) {
			this.position = this.duration;
			this.playing = false;
			return;
		}
		this.position = next;
		this.handle = frame((t) => this.tick(t));
	}
}
