/**
 * The `Accept-Additions` header (RFC 2324 section 2.2.2.1): a list of
 * additions, separated by `,` (the RFC's list syntax) or `;` (what the lab's
 * web app sends), compared case-insensitively. `q=` parameters are ignored.
 */

import { ADDITIONS, type Addition } from './constants';

/** Canonical comparison key: lower case, runs of spaces, hyphens and underscores as one hyphen. */
export function additionKey(name: string): string {
	return name.trim().toLowerCase().replace(/[\s_-]+/g, '-');
}

const byKey = new Map<string, Addition>(ADDITIONS.map((a) => [additionKey(a.name), a]));

/** Splits a header value into the addition names it lists, as sent (trimmed). */
export function splitAdditions(value: string): string[] {
	return value
		.split(/[;,]/)
		.map((part) => part.trim())
		.filter((part) => part.length > 0 && !/^q\s*=/i.test(part));
}

/** The offered addition with this name, or undefined when the pot does not offer it. */
export function findAddition(name: string): Addition | undefined {
	return byKey.get(additionKey(name));
}

export function isMilk(name: string): boolean {
	return findAddition(name)?.kind === 'milk';
}
