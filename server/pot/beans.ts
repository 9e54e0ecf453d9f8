/**
 * Bean profiles for the coffee pot and leaf profiles for the tea pot. Each brew
 * picks one coffee profile at random; PROPFIND (RFC 2324 section 2.1.3) returns
 * it. The random source is a small seeded generator so tests can fix the pick
 * with `--seed N` or the POT_SEED environment variable.
 */

import { TEA_VARIETIES } from '../../src/lib/protocol/index';

export interface BeanProfile {
	name: string;
	origin: string;
	profile: string;
	strength: number;
	roast: string;
	type: string;
}

/** Ten coffees; strength runs from 1 (mild) to 5 (strong). */
export const BEANS: readonly BeanProfile[] = Object.freeze([
	{ name: 'Yirgacheffe Kochere', origin: 'Ethiopia', profile: 'jasmine, lemon, bergamot', strength: 2, roast: 'light', type: 'arabica' },
	{ name: 'Huila Supremo', origin: 'Colombia', profile: 'red apple, caramel, cocoa', strength: 3, roast: 'medium', type: 'arabica' },
	{ name: 'Santos Bourbon', origin: 'Brazil', profile: 'peanut, milk chocolate, low acidity', strength: 3, roast: 'medium', type: 'arabica' },
	{ name: 'Sumatra Mandheling', origin: 'Indonesia', profile: 'earthy, cedar, dark chocolate', strength: 4, roast: 'dark', type: 'arabica' },
	{ name: 'Kenya AA Nyeri', origin: 'Kenya', profile: 'blackcurrant, grapefruit, winey', strength: 3, roast: 'light-medium', type: 'arabica' },
	{ name: 'Antigua Pastoral', origin: 'Guatemala', profile: 'toffee, orange peel, smoky', strength: 3, roast: 'medium-dark', type: 'arabica' },
	{ name: 'Tarrazu La Pastora', origin: 'Costa Rica', profile: 'honey, stone fruit, bright', strength: 2, roast: 'light', type: 'arabica' },
	{ name: 'Robusta Dak Lak', origin: 'Vietnam', profile: 'bitter cocoa, grain, heavy body', strength: 5, roast: 'dark', type: 'robusta' },
	{ name: 'Kona Extra Fancy', origin: 'Hawaii, USA', profile: 'macadamia, brown sugar, silky', strength: 2, roast: 'medium', type: 'arabica' },
	{ name: 'Liberica Barako', origin: 'Philippines', profile: 'smoky, jackfruit, woody', strength: 5, roast: 'dark', type: 'liberica' }
]);

/** One leaf profile per tea variety of the tea pot (RFC 7168 section 2.1.1). */
export const TEA_LEAVES: Readonly<Record<(typeof TEA_VARIETIES)[number], BeanProfile>> = Object.freeze({
	darjeeling: { name: 'Darjeeling First Flush', origin: 'India', profile: 'muscatel, floral, light', strength: 2, roast: 'none (black tea, lightly oxidised)', type: 'black tea' },
	'earl-grey': { name: 'Earl Grey', origin: 'China and Sri Lanka', profile: 'bergamot, malt', strength: 3, roast: 'none (black tea)', type: 'flavoured black tea' },
	peppermint: { name: 'Peppermint', origin: 'Egypt', profile: 'cool mint, sweet', strength: 1, roast: 'none (herbal)', type: 'herbal infusion' },
	sencha: { name: 'Sencha', origin: 'Shizuoka, Japan', profile: 'grassy, umami, fresh', strength: 2, roast: 'none (steamed green tea)', type: 'green tea' }
});

/** A seeded pseudo-random generator (mulberry32): same seed, same sequence. */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Picks bean profiles; unseeded pickers use Math.random. */
export function beanPicker(seed?: number): () => BeanProfile {
	const random = seed === undefined ? Math.random : seededRandom(seed);
	return () => BEANS[Math.floor(random() * BEANS.length)];
}
