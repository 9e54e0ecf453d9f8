/**
 * Reads the JSON bodies the pot answers with (GET, PROPFIND, history) into
 * typed values. The pot is another program, so nothing is trusted: a body that
 * is not the expected shape raises `PotDataError`, which the web app reports as
 * 502 Bad Gateway (the upstream answered, but with nonsense).
 */

export class PotDataError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PotDataError';
	}
}

export interface BrewState {
	pot: string;
	beverage: string;
	variety?: string;
	additions: string[];
	state: 'brewing' | 'ready';
	startedAt?: string;
	endsAt?: string;
	secondsLeft: number;
	milk: 'none' | 'pouring' | 'stopped';
}

export interface Beans {
	name: string;
	origin: string;
	profile: string;
	strength: string;
	roast: string;
	type: string;
}

export interface BrewRecord {
	time: string;
	pot: string;
	beverage: string;
	variety?: string;
	additions: string[];
	beans: string;
	outcome: string;
}

type Json = Record<string, unknown>;

function parseJson(body: string, what: string): unknown {
	try {
		return JSON.parse(body);
	} catch {
		throw new PotDataError(`the pot's answer to ${what} is not JSON`);
	}
}

function isObject(v: unknown): v is Json {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A scalar field as display text ('' when absent). */
function str(o: Json, key: string): string {
	const v = o[key];
	if (v === undefined || v === null) return '';
	if (typeof v === 'string') return v;
	if (typeof v === 'number' || typeof v === 'boolean') return String(v);
	return JSON.stringify(v);
}

function list(o: Json, key: string): string[] {
	const v = o[key];
	if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
	if (typeof v === 'string' && v !== '') return v.split(/[;,]\s*/);
	return [];
}

/** `GET coffee://ducky`: `{}` when idle (null here), else the brew. */
export function parseState(body: string): BrewState | null {
	const data = parseJson(body, 'GET');
	if (!isObject(data)) throw new PotDataError("the pot's answer to GET is not a JSON object");
	if (Object.keys(data).length === 0) return null;
	const state = data.state === 'ready' ? 'ready' : data.state === 'brewing' ? 'brewing' : null;
	if (state === null) throw new PotDataError(`the pot reported an unknown brew state ${JSON.stringify(data.state)}`);
	const seconds = Number(data.secondsLeft ?? 0);
	const milk = data.milk === 'pouring' || data.milk === 'stopped' ? data.milk : 'none';
	return {
		pot: str(data, 'pot') || 'ducky',
		beverage: str(data, 'beverage') || 'coffee',
		variety: str(data, 'variety') || undefined,
		additions: list(data, 'additions'),
		state,
		startedAt: str(data, 'startedAt') || undefined,
		endsAt: str(data, 'endsAt') || undefined,
		secondsLeft: Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 0,
		milk
	};
}

/** `PROPFIND coffee://ducky`: `{}` when nothing is brewing (null here). */
export function parseBeans(body: string): Beans | null {
	const data = parseJson(body, 'PROPFIND');
	if (!isObject(data)) throw new PotDataError("the pot's answer to PROPFIND is not a JSON object");
	if (Object.keys(data).length === 0) return null;
	return {
		name: str(data, 'name'),
		origin: str(data, 'origin'),
		profile: str(data, 'profile'),
		strength: str(data, 'strength'),
		roast: str(data, 'roast'),
		type: str(data, 'type')
	};
}

/** `GET coffee://ducky/history`: newest first, as the pot sends it. */
export function parseHistory(body: string): BrewRecord[] {
	const data = parseJson(body, 'GET /history');
	if (!Array.isArray(data)) throw new PotDataError("the pot's history is not a JSON array");
	return data.filter(isObject).map((r) => ({
		time: str(r, 'time'),
		pot: str(r, 'pot'),
		beverage: str(r, 'beverage'),
		variety: str(r, 'variety') || undefined,
		additions: list(r, 'additions'),
		beans: isObject(r.beans) ? str(r.beans, 'name') || JSON.stringify(r.beans) : str(r, 'beans'),
		outcome: str(r, 'outcome')
	}));
}
