/**
 * The pot's brew state machine. One brew at a time across both pots (the
 * coffee pot `ducky` and the tea pot `tea`):
 *
 *   empty --start--> brewing --time passes--> ready --stop--> empty
 *                       |                                ^
 *                       +-------------stop---------------+
 *
 * A brew with a milk addition starts pouring milk when it becomes ready, until
 * WHEN (RFC 2324 section 2.1.4) stops it. The clock is injected so tests can
 * move time by hand; `tick()` applies whatever the clock says has happened.
 */

import { randomUUID } from 'node:crypto';
import { isMilk } from '../../src/lib/protocol/index';
import type { BeanProfile } from './beans';

export type PotName = 'ducky' | 'tea';
export type Beverage = 'coffee' | 'tea';
export type MilkState = 'none' | 'pouring' | 'stopped';

export interface Brew {
	id: string;
	pot: PotName;
	beverage: Beverage;
	variety?: string;
	/** Canonical addition names, in the order asked. */
	additions: string[];
	bean: BeanProfile;
	startedAt: number;
	endsAt: number;
	withMilk: boolean;
}

export type Outcome = 'started' | 'completed' | 'stopped';

/** One line of the history file: a brew's start, and later how it ended. */
export interface BrewEvent {
	id: string;
	time: string;
	pot: PotName;
	beverage: Beverage;
	variety: string | null;
	additions: string[];
	beans: string;
	outcome: Outcome;
}

export interface PotOptions {
	brewMs: number;
	pickBean: () => BeanProfile;
	now?: () => number;
	/** Called for every history event, before the response that caused it is sent. */
	onEvent?: (event: BrewEvent) => void;
}

export type StartResult = { ok: true; brew: Brew } | { ok: false; busy: Brew; secondsLeft: number };

export class PotState {
	private current: Brew | null = null;
	private ready = false;
	private milkState: MilkState = 'none';
	private readonly brewMs: number;
	private readonly pickBean: () => BeanProfile;
	readonly now: () => number;
	private readonly onEvent: (event: BrewEvent) => void;

	constructor(options: PotOptions) {
		this.brewMs = options.brewMs;
		this.pickBean = options.pickBean;
		this.now = options.now ?? Date.now;
		this.onEvent = options.onEvent ?? (() => {});
	}

	/** Applies the passage of time: a brew whose time is up becomes ready. */
	tick(): void {
		const brew = this.current;
		if (!brew || this.ready || this.now() < brew.endsAt) return;
		this.ready = true;
		this.milkState = brew.withMilk ? 'pouring' : 'none';
		this.emit(brew, 'completed', brew.endsAt);
	}

	/** Milliseconds until the brew in progress is done, or null when nothing is brewing. */
	msUntilReady(): number | null {
		this.tick();
		if (!this.current || this.ready) return null;
		return Math.max(0, this.current.endsAt - this.now());
	}

	get brew(): Brew | null {
		this.tick();
		return this.current;
	}

	get isBrewing(): boolean {
		this.tick();
		return this.current !== null && !this.ready;
	}

	get milk(): MilkState {
		this.tick();
		return this.milkState;
	}

	secondsLeft(): number {
		const brew = this.brew;
		if (!brew || this.ready) return 0;
		return Math.max(0, Math.ceil((brew.endsAt - this.now()) / 1000));
	}

	/**
	 * Starts a brew. A pot holding a finished brew is emptied first; a brewing pot
	 * refuses. `bean` overrides the random pick (the tea pot's leaves follow the variety).
	 */
	start(pot: PotName, beverage: Beverage, additions: string[], variety?: string, bean?: BeanProfile): StartResult {
		this.tick();
		if (this.current && !this.ready) {
			return { ok: false, busy: this.current, secondsLeft: Math.max(1, this.secondsLeft()) };
		}
		const startedAt = this.now();
		const brew: Brew = {
			id: randomUUID(),
			pot,
			beverage,
			...(variety !== undefined ? { variety } : {}),
			additions,
			bean: bean ?? this.pickBean(),
			startedAt,
			endsAt: startedAt + this.brewMs,
			withMilk: additions.some(isMilk)
		};
		this.current = brew;
		this.ready = false;
		this.milkState = 'none';
		this.emit(brew, 'started', startedAt);
		// A zero brew time is ready at once.
		this.tick();
		return { ok: true, brew };
	}

	/** Empties the pot. Returns what was in it and whether it was still brewing. */
	stop(): { brew: Brew | null; wasBrewing: boolean } {
		this.tick();
		const brew = this.current;
		const wasBrewing = brew !== null && !this.ready;
		if (brew && wasBrewing) this.emit(brew, 'stopped', this.now());
		this.current = null;
		this.ready = false;
		this.milkState = 'none';
		return { brew, wasBrewing };
	}

	/** WHEN: stops the milk. Returns true when milk was pouring. */
	when(): boolean {
		this.tick();
		if (this.milkState !== 'pouring') return false;
		this.milkState = 'stopped';
		return true;
	}

	/** What GET shows: `{}` for an empty pot (as the original lab's pot). */
	snapshot(): Record<string, unknown> {
		const brew = this.brew;
		if (!brew) return {};
		return {
			pot: brew.pot,
			beverage: brew.beverage,
			...(brew.variety !== undefined ? { variety: brew.variety } : {}),
			additions: brew.additions,
			state: this.ready ? 'ready' : 'brewing',
			startedAt: new Date(brew.startedAt).toISOString(),
			endsAt: new Date(brew.endsAt).toISOString(),
			secondsLeft: this.secondsLeft(),
			milk: this.milkState
		};
	}

	private emit(brew: Brew, outcome: Outcome, at: number): void {
		this.onEvent({
			id: brew.id,
			time: new Date(at).toISOString(),
			pot: brew.pot,
			beverage: brew.beverage,
			variety: brew.variety ?? null,
			additions: brew.additions,
			beans: brew.bean.name,
			outcome
		});
	}
}
