/**
 * The one escape helper every page uses. `html` is a tagged template: each
 * interpolated value is escaped for HTML text and quoted attributes unless it
 * is already `SafeHtml` (the result of another `html` template). Arrays are
 * rendered item by item, and `null`, `undefined` and `false` render nothing, so
 * templates can write `${cond && html`...`}` and `${items.map(...)}`.
 */

export class SafeHtml {
	constructor(readonly value: string) {}
	toString(): string {
		return this.value;
	}
}

const ENTITIES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;'
};

/** Escapes text for an HTML element body or a quoted attribute value. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
	if (value === null || value === undefined || value === false) return '';
	if (value instanceof SafeHtml) return value.value;
	if (Array.isArray(value)) return value.map(render).join('');
	return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
	let out = strings[0];
	for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1];
	return new SafeHtml(out);
}

/** A query-string link built from parameters, every value percent-encoded. */
export function queryHref(path: string, params: ReadonlyArray<readonly [string, string]>): string {
	const query = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
	return query ? `${path}?${query}` : path;
}

/** An ISO time from the pot as `2026-01-31 14:05:09 UTC`; other text is returned as is. */
export function displayTime(iso: string): string {
	const ms = Date.parse(iso);
	if (Number.isNaN(ms)) return iso;
	return new Date(ms).toISOString().slice(0, 19).replace('T', ' ') + ' UTC';
}
