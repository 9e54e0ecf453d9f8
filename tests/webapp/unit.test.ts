/** The web app's pure parts: escaping, conditional GET, flags, pot data, status choice. */
import { describe, expect, it } from 'vitest';
import { pageStatusFor, SERVER_ERROR_MESSAGE } from '../../server/webapp/app';
import { FlagError, parseFlags, parsePotAddress } from '../../server/webapp/flags';
import { renderHttpError } from '../../server/webapp/pages/errors';
import { displayTime, escapeHtml, html } from '../../server/webapp/pages/html';
import { parseHistory, parseState, PotDataError } from '../../server/webapp/potdata';
import { notModified, type Asset } from '../../server/webapp/static';

describe('html escaping', () => {
	it('escapes every interpolation unless it is already html', () => {
		const evil = `<script>alert("x")</script>'&`;
		expect(escapeHtml(evil)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;&amp;');
		expect(html`<p title="${evil}">${evil}</p>`.value).not.toContain('<script>');
		expect(html`<ul>${[evil, html`<li>ok</li>`]}</ul>`.value).toBe(`<ul>${escapeHtml(evil)}<li>ok</li></ul>`);
		expect(html`${null}${undefined}${false}${0}`.value).toBe('0');
	});

	it('formats pot times and leaves other text alone', () => {
		expect(displayTime('2026-01-31T14:05:09.123Z')).toBe('2026-01-31 14:05:09 UTC');
		expect(displayTime('yesterday')).toBe('yesterday');
	});

	it('renders the 500 page without any detail of the error', () => {
		const page = renderHttpError({ potAddress: '127.0.0.1:5030' }, 500, SERVER_ERROR_MESSAGE).value;
		expect(page).toContain('<span class="code">500</span> Internal Server Error');
		expect(page).not.toMatch(/\bat .*\.ts:\d+/);
	});
});

describe('conditional GET (RFC 9110 section 13.2.2)', () => {
	const asset: Asset = {
		name: 'styles.css',
		body: Buffer.from('body{}'),
		contentType: 'text/css; charset=utf-8',
		etag: '"abc"',
		lastModified: new Date('2026-01-01T00:00:00Z')
	};
	it('matches entity tags weakly, in lists and with *', () => {
		expect(notModified(asset, '"abc"', undefined)).toBe(true);
		expect(notModified(asset, 'W/"abc"', undefined)).toBe(true);
		expect(notModified(asset, '"x", "abc"', undefined)).toBe(true);
		expect(notModified(asset, '*', undefined)).toBe(true);
		expect(notModified(asset, '"abcd"', undefined)).toBe(false);
	});
	it('compares dates, ignores bad ones, and lets If-None-Match win', () => {
		expect(notModified(asset, undefined, 'Thu, 01 Jan 2026 00:00:00 GMT')).toBe(true);
		expect(notModified(asset, undefined, 'Wed, 31 Dec 2025 23:59:59 GMT')).toBe(false);
		expect(notModified(asset, undefined, 'garbage')).toBe(false);
		expect(notModified(asset, '"other"', 'Fri, 01 Jan 2027 00:00:00 GMT')).toBe(false);
	});
});

describe('flags', () => {
	it('has the lab defaults', () => {
		const f = parseFlags([]);
		expect(f).toMatchObject({ port: 5031, local: false, pot: { host: '127.0.0.1', port: 5030 }, https: false });
	});
	it('reads every flag, and --cert implies HTTPS', () => {
		const f = parseFlags(['--port', '0', '--local', '--pot=localhost:6000', '--cert', 'c.pem', '--key', 'k.pem']);
		expect(f).toMatchObject({ port: 0, local: true, pot: { host: 'localhost', port: 6000 }, https: true, cert: 'c.pem', key: 'k.pem' });
		expect(parsePotAddress('[::1]:5030')).toEqual({ host: '::1', port: 5030 });
	});
	it('refuses mistakes with a FlagError', () => {
		for (const argv of [['--port', '70000'], ['--port'], ['--pot', 'x:0'], ['--key', 'k.pem'], ['-x']]) {
			expect(() => parseFlags(argv)).toThrow(FlagError);
		}
	});
});

describe('pot data', () => {
	it('reads idle, brewing and history bodies', () => {
		expect(parseState('{}')).toBeNull();
		const s = parseState('{"pot":"ducky","beverage":"coffee","additions":["cream"],"state":"brewing","secondsLeft":4.2,"milk":"none"}');
		expect(s).toMatchObject({ state: 'brewing', secondsLeft: 5, additions: ['cream'] });
		const h = parseHistory('[{"time":"t","pot":"ducky","beverage":"coffee","additions":[],"beans":{"name":"Kona"},"outcome":"completed"}]');
		expect(h[0]).toMatchObject({ beans: 'Kona', outcome: 'completed' });
	});
	it('refuses what is not the expected shape', () => {
		expect(() => parseState('not json')).toThrow(PotDataError);
		expect(() => parseState('[]')).toThrow(PotDataError);
		expect(() => parseState('{"state":"exploded"}')).toThrow(PotDataError);
		expect(() => parseHistory('{}')).toThrow(PotDataError);
	});
});

describe('HTTP status of HTCPCP error pages', () => {
	it("passes the pot's refusals through and maps the rest to 502", () => {
		for (const code of [300, 400, 404, 406, 409, 415, 418, 501]) expect(pageStatusFor(code)).toBe(code);
		for (const code of [500, 503, 302, 408]) expect(pageStatusFor(code)).toBe(502);
	});
});
