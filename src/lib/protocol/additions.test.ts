// Accept-Additions (RFC 2324 section 2.2.2.1): splitting a header value and
// matching names to the additions the lab's pot offers.
import { describe, expect, it } from 'vitest';
import { additionKey, findAddition, isMilk, splitAdditions } from './additions';
import { ADDITIONS } from './constants';

describe('splitAdditions', () => {
	it('splits on ; as the lab web app sends and on , as the RFC lists', () => {
		expect(splitAdditions('cream; vanilla')).toEqual(['cream', 'vanilla']);
		expect(splitAdditions('Cream, Raspberry,whisky')).toEqual(['Cream', 'Raspberry', 'whisky']);
		expect(splitAdditions('cream;vanilla, rum ;aquavit')).toEqual(['cream', 'vanilla', 'rum', 'aquavit']);
	});

	it('keeps names as sent, spaces inside included, and drops empty parts', () => {
		expect(splitAdditions('  Oat Milk ;  almond-milk  ')).toEqual(['Oat Milk', 'almond-milk']);
		expect(splitAdditions(' ; ,, ;')).toEqual([]);
		expect(splitAdditions('')).toEqual([]);
	});

	it('drops q= parameters in any case and spacing', () => {
		expect(splitAdditions('cream;q=0.5, whisky;Q=1')).toEqual(['cream', 'whisky']);
		expect(splitAdditions('vanilla; q = 0.9')).toEqual(['vanilla']);
	});
});

describe('findAddition', () => {
	it('finds every offered addition by its own name, in any case', () => {
		for (const a of ADDITIONS) {
			expect(findAddition(a.name)).toBe(a);
			expect(findAddition(a.name.toUpperCase())).toBe(a);
		}
	});

	it('treats spaces, hyphens and underscores alike', () => {
		expect(findAddition('oat-milk')?.name).toBe('oat milk');
		expect(findAddition('Soya_Milk')?.name).toBe('soya milk');
		expect(findAddition('coconut   milk')?.name).toBe('coconut milk');
		expect(findAddition('whole milk')?.name).toBe('whole-milk');
		expect(findAddition('Half and Half')?.name).toBe('half-and-half');
		expect(findAddition(' non dairy ')?.name).toBe('non-dairy');
	});

	it('keeps almond the syrup apart from almond milk', () => {
		expect(findAddition('almond')).toMatchObject({ name: 'almond', kind: 'syrup' });
		expect(findAddition('Almond-Milk')).toMatchObject({ name: 'almond milk', kind: 'milk' });
	});

	it('does not offer what the pot refuses', () => {
		for (const name of ['chamomile', 'tea', 'sugar', 'milk', '', 'cream vanilla']) {
			expect(findAddition(name), name).toBeUndefined();
		}
	});

	it('pairs with splitAdditions on a real header value', () => {
		expect(splitAdditions('Cream; Oat-Milk, chamomile;q=0.2').map((n) => findAddition(n)?.name)).toEqual([
			'cream',
			'oat milk',
			undefined
		]);
	});
});

describe('kinds', () => {
	it('has ten milks, four syrups and four spirits', () => {
		const count = (kind: string) => ADDITIONS.filter((a) => a.kind === kind).length;
		expect([count('milk'), count('syrup'), count('alcohol')]).toEqual([10, 4, 4]);
	});

	it('isMilk is true only for milks, whatever the spelling', () => {
		expect(isMilk('Skim')).toBe(true);
		expect(isMilk('almond_milk')).toBe(true);
		expect(isMilk('almond')).toBe(false);
		expect(isMilk('rum')).toBe(false);
		expect(isMilk('chamomile')).toBe(false);
	});

	it('additionKey is the canonical comparison form', () => {
		expect(additionKey('  Oat _ Milk ')).toBe('oat-milk');
		expect(additionKey('HALF-and_half')).toBe('half-and-half');
	});
});
