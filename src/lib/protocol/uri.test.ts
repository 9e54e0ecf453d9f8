// Coffee URIs (RFC 2324 section 3): every scheme, encoded and decoded, in any
// case the RFCs allow; hosts, ports, pot designators, additions, rejections.
import { describe, expect, it } from 'vitest';
import { COFFEE_SCHEMES, type CoffeeScheme } from './constants';
import { findCoffeeScheme, hasScheme, parseCoffeeUri, type CoffeeUri } from './uri';

function ok(target: string): CoffeeUri {
	const r = parseCoffeeUri(target);
	if (!r.ok) throw new Error(`${target}: ${r.message}`);
	return r.uri;
}

/** Upper-cases the hex digits of percent-encodings only. */
const upperHex = (s: string) => s.replace(/%[0-9a-f]{2}/gi, (m) => m.toUpperCase());
/** Lower-cases the hex digits of percent-encodings only. */
const lowerHex = (s: string) => s.replace(/%[0-9a-f]{2}/gi, (m) => m.toLowerCase());
/** Letters outside percent-encodings upper-cased, hex digits lower-cased. */
const mixed = (s: string) => lowerHex(s.toUpperCase());

describe('the scheme table', () => {
	it('has the 23 schemes of RFC 2324 section 3, each name distinct', () => {
		expect(COFFEE_SCHEMES).toHaveLength(23);
		expect(new Set(COFFEE_SCHEMES.map((s) => s.encoded.toLowerCase())).size).toBe(23);
		expect(new Set(COFFEE_SCHEMES.map((s) => s.decoded.toLowerCase())).size).toBe(23);
	});

	it('decodes every encoded name to its Unicode name, except the RFC erratum caf%C3%E8', () => {
		for (const s of COFFEE_SCHEMES) {
			if (s.encoded === 'caf%C3%E8') {
				expect(() => decodeURIComponent(s.encoded)).toThrow();
				continue;
			}
			expect(decodeURIComponent(s.encoded), s.languages).toBe(s.decoded);
		}
	});
});

describe.each(COFFEE_SCHEMES.map((s) => [s.languages, s] as [string, CoffeeScheme]))('scheme for %s', (_name, s) => {
	const forms = [
		['encoded', s.encoded],
		['decoded', s.decoded],
		['encoded, upper case', s.encoded.toUpperCase()],
		['encoded, lower case', s.encoded.toLowerCase()],
		['encoded, lower-case hex', lowerHex(s.encoded)],
		['encoded, upper-case hex', upperHex(s.encoded)],
		['encoded, upper-case letters and lower-case hex', mixed(s.encoded)],
		['decoded, upper case', s.decoded.toUpperCase()],
		['decoded, re-encoded from upper case', encodeURIComponent(s.decoded.toUpperCase())]
	];
	it.each(forms)('%s: %s', (_form, scheme) => {
		expect(findCoffeeScheme(scheme)).toBe(s);
		const uri = ok(`${scheme}://ducky`);
		expect(uri.scheme).toBe(s);
		expect(uri.rawScheme).toBe(scheme);
		expect(uri.host).toBe('ducky');
		expect(uri.path).toEqual([]);
		expect(hasScheme(`${scheme}://ducky`)).toBe(true);
	});
});

describe('the Catalan/French/Galician scheme', () => {
	const catalan = COFFEE_SCHEMES.find((s) => s.encoded === 'caf%C3%E8') as CoffeeScheme;
	it.each(['caf%C3%E8', 'caf%c3%e8', 'caf%C3%A8', 'caf%c3%a8', 'CAF%C3%88', 'cafè', 'CAFÈ', 'café', 'caf%C3%A9', 'CAFÉ'])(
		'%s names it',
		(scheme) => {
			expect(ok(`${scheme}://ducky`).scheme).toBe(catalan);
		}
	);
	it('is not the plain ASCII "cafe"', () => {
		expect(parseCoffeeUri('cafe://ducky')).toMatchObject({ ok: false, reason: 'scheme', rawScheme: 'cafe' });
	});
});

describe('authority, path and query', () => {
	it('compares hosts case-insensitively and decodes them', () => {
		expect(ok('coffee://DUCKY').host).toBe('ducky');
		expect(ok('koffie://DuCkY/').host).toBe('ducky');
		expect(ok('coffee://duc%6By').host).toBe('ducky');
		expect(ok('coffee://psyduck').host).toBe('psyduck');
	});

	it('reads ports and refuses impossible ones', () => {
		expect(ok('coffee://ducky:5030').port).toBe(5030);
		expect(ok('coffee://ducky').port).toBeUndefined();
		expect(ok('coffee://127.0.0.1:65535/pot-0')).toMatchObject({ host: '127.0.0.1', port: 65535, path: ['pot-0'] });
		expect(parseCoffeeUri('coffee://ducky:65536')).toMatchObject({ ok: false, reason: 'syntax' });
		expect(parseCoffeeUri('coffee://ducky:pot')).toMatchObject({ ok: false, reason: 'syntax' });
		expect(parseCoffeeUri('coffee://user@ducky')).toMatchObject({ ok: false, reason: 'syntax' });
	});

	it('splits pot designators into decoded path segments', () => {
		expect(ok('coffee://ducky/pot-0').path).toEqual(['pot-0']);
		expect(ok('coffee://ducky/pot-1/darjeeling').path).toEqual(['pot-1', 'darjeeling']);
		expect(ok('%E5%92%96%E5%95%A1://ducky/pot-1/earl%2Dgrey').path).toEqual(['pot-1', 'earl-grey']);
		expect(ok('coffee://ducky//pot-0/').path).toEqual(['pot-0']);
		expect(ok('coffee:/pot-0')).toMatchObject({ host: '', path: ['pot-0'] });
		expect(ok('coffee:')).toMatchObject({ host: '', path: [], additions: [] });
	});

	it('reads additions from the query, split on &, ; and ,', () => {
		expect(ok('coffee://ducky?cream').additions).toEqual(['cream']);
		expect(ok('coffee://ducky/pot-0?cream&vanilla;whisky,rum').additions).toEqual(['cream', 'vanilla', 'whisky', 'rum']);
		expect(ok('coffee://ducky?oat+milk&soya%20milk').additions).toEqual(['oat milk', 'soya milk']);
		expect(ok('coffee://ducky?;;&,').additions).toEqual([]);
		expect(ok('coffee://ducky?').additions).toEqual([]);
		expect(ok('coffee://ducky?%ZZ').additions).toEqual(['%ZZ']);
	});

	it('drops a fragment wherever it starts', () => {
		expect(ok('coffee://ducky?cream#top').additions).toEqual(['cream']);
		expect(ok('coffee://ducky/pot-0#top')).toMatchObject({ path: ['pot-0'], additions: [] });
		expect(ok('coffee://ducky#x?cream')).toMatchObject({ host: 'ducky', additions: [] });
	});

	it('keeps path segments as sent, apart from decoding', () => {
		expect(ok('coffee://ducky/Pot-0').path).toEqual(['Pot-0']);
	});
});

describe('rejections', () => {
	it('names an unknown scheme, as sent', () => {
		for (const target of ['caffeine://ducky', 'http://ducky', 'tea://ducky', 'koffie2://ducky']) {
			const r = parseCoffeeUri(target);
			expect(r).toMatchObject({ ok: false, reason: 'scheme', rawScheme: target.slice(0, target.indexOf(':')) });
			if (!r.ok) expect(r.message).toContain('RFC 2324 section 3');
		}
	});

	it('refuses broken percent-encodings as syntax errors', () => {
		for (const target of [
			'%E5%92%96%E5%95://ducky',
			'%E5%92%9://ducky',
			'coffee://duc%ZZky',
			'coffee://ducky/pot%2',
			'coffee://ducky/%C3%28'
		]) {
			expect(parseCoffeeUri(target), target).toMatchObject({ ok: false, reason: 'syntax' });
		}
	});

	it('refuses targets that are not absolute URIs', () => {
		for (const target of ['/pot-0', 'ducky', ':ducky', '']) {
			expect(parseCoffeeUri(target), target).toMatchObject({ ok: false, reason: 'syntax' });
			expect(hasScheme(target)).toBe(false);
		}
	});
});
