/** Small readers for header values, used to say what one value means. */

/** Splits a comma-separated list (RFC 9110 §5.6.1), keeping commas inside quotes. */
export function splitList(value: string): string[] {
	const out: string[] = [];
	let current = '';
	let quoted = false;
	for (let i = 0; i < value.length; i++) {
		const c = value[i];
		if (c === '"' && value[i - 1] !== '\\') quoted = !quoted;
		if (c === ',' && !quoted) {
			if (current.trim()) out.push(current.trim());
			current = '';
		} else current += c;
	}
	if (current.trim()) out.push(current.trim());
	return out;
}

export interface Weighted {
	item: string;
	/** The q= weight, 1 when absent (RFC 9110 §12.4.2). */
	q: number;
}

/** Reads a list with q= weights, such as Accept or Accept-Language. */
export function weightedList(value: string): Weighted[] {
	return splitList(value).map((part) => {
		const [item, ...params] = part.split(';').map((p) => p.trim());
		let q = 1;
		for (const p of params) {
			const m = /^q\s*=\s*([0-9.]+)$/i.exec(p);
			if (m) q = Number(m[1]);
		}
		return { item, q: Number.isFinite(q) ? q : 1 };
	});
}

/** "a, b and c". */
export function joinWords(words: readonly string[]): string {
	if (words.length <= 1) return words.join('');
	return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
	return `${n} ${n === 1 ? word : many}`;
}

/** Describes a weighted list: preferred items first, the rest with their weights. */
export function describeWeighted(value: string, noun: string): string {
	const items = weightedList(value);
	if (items.length === 0) return `an empty list of ${noun}`;
	const top = items.filter((i) => i.q === 1).map((i) => i.item);
	const rest = items.filter((i) => i.q !== 1).map((i) => `${i.item} (weight ${i.q})`);
	const parts: string[] = [];
	if (top.length) parts.push(`prefers ${joinWords(top)}`);
	if (rest.length) parts.push(`then accepts ${joinWords(rest)}`);
	return parts.join(', ');
}

/** IMF-fixdate (RFC 9110 §5.6.7): `Sun, 06 Nov 1994 08:49:37 GMT`. */
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Says what a date value is and whether it has the form HTTP requires. */
export function describeDate(value: string): string {
	const v = value.trim();
	if (IMF_FIXDATE.test(v)) return `${v}, in the standard HTTP date form (always GMT)`;
	const t = Date.parse(v);
	if (/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2}$/.test(v)) {
		return `${v}, but without the GMT zone that the HTTP date form requires, so a reader cannot know which time zone it is (the original lab's pot printed its local time this way)`;
	}
	if (Number.isNaN(t)) return `"${v}", which is not a date an HTTP client can read`;
	return `${v}, readable but not in the preferred HTTP date form (IMF-fixdate, ending in GMT)`;
}

/** Describes a number of seconds as "30 s" or "2 min 5 s". */
export function describeSeconds(n: number): string {
	if (!Number.isFinite(n) || n < 0) return 'an unreadable number of seconds';
	n = Math.floor(n);
	if (n < 60) return plural(n, 'second');
	const min = Math.floor(n / 60);
	const sec = n % 60;
	if (min < 120) return sec ? `${plural(min, 'minute')} ${plural(sec, 'second')}` : plural(min, 'minute');
	const h = Math.floor(n / 3600);
	if (h < 48) return `about ${plural(h, 'hour')}`;
	return `about ${plural(Math.round(n / 86400), 'day')}`;
}

/** Parameters of a `type; a=b; c="d"` value, names lower-cased. */
export function params(value: string): { main: string; params: Record<string, string> } {
	const [main, ...rest] = value.split(';');
	const out: Record<string, string> = {};
	for (const p of rest) {
		const eq = p.indexOf('=');
		if (eq < 0) continue;
		const name = p.slice(0, eq).trim().toLowerCase();
		let v = p.slice(eq + 1).trim();
		if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1);
		out[name] = v;
	}
	return { main: main.trim(), params: out };
}

/** Shortens a long value for quoting inside a sentence. */
export function clip(value: string, max = 60): string {
	return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}
