/**
 * End to end: the real pot and the real web app on free ports, every route
 * checked over real HTTP (status, headers, the page a user sees).
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exchange } from '../../server/client/exchange';
import { getHeader, splitAdditions } from '../../src/lib/protocol/index';
import { freePort, type Started } from '../helpers/process';
import { eventually, request, startPot, startWebapp } from './helpers';

let pot: Started;
let app: Started;
let base: string;
let potPort: number;

beforeAll(async () => {
	potPort = await freePort();
	pot = await startPot(potPort, 2);
	({ app, base } = await startWebapp(['--pot', `127.0.0.1:${potPort}`]));
});

afterAll(async () => {
	await app?.stop();
	await pot?.stop();
});

const get = (path: string, headers: Record<string, string> = {}) => request(base + path, { headers });

function expectHtml(reply: { headers: http.IncomingHttpHeaders; body: string }) {
	expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
	expect(Number(reply.headers['content-length'])).toBe(Buffer.byteLength(reply.body));
	expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
	expect(reply.headers.connection).not.toBe('close');
	expect(reply.body).not.toMatch(/<script>(?!<)/);
}

describe('home page and actions', () => {
	it('shows the idle pot, the brew form with chamomile, and links to beans and log', async () => {
		const home = await get('/');
		expect(home.status).toBe(200);
		expectHtml(home);
		expect(home.body).toContain('The pot is idle');
		expect(home.body).toContain('value="chamomile"');
		expect(home.body).toContain('value="tea"');
		expect(home.body).toContain('href="/?method=propfind"');
		expect(home.body).toContain('href="/log"');
		expect(home.body).toContain('<script src="/assets/app.js" defer></script>');
		const alias = await get('/?method=get');
		expect(alias.status).toBe(200);
		expect(alias.body).toContain('The pot is idle');
	});

	it('logs each HTTP request and the HTCPCP exchange it caused on its console', async () => {
		const reply = await get('/?method=propfind');
		expect(reply.status).toBe(200);
		const logged = await eventually(async () => /GET \/\?method=propfind HTTP\/1\.1 -> 200 OK/.test(app.output()));
		expect(logged).toBe(true);
		expect(app.output()).toMatch(/HTCPCP to pot 127\.0\.0\.1:\d+ from local port \d+: PROPFIND coffee:\/\/ducky -> 200 OK/);
	});

	it('keeps the HTTP/1.1 connection open across requests', async () => {
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		const first = await request(base + '/assets/styles.css', { agent });
		const second = await request(base + '/', { agent });
		agent.destroy();
		expect(first.headers.connection).toBe('keep-alive');
		expect(second.localPort).toBe(first.localPort);
	});

	it('answers HEAD with the GET headers and no body', async () => {
		const page = await get('/log');
		const head = await request(base + '/log', { method: 'HEAD' });
		expect(head.status).toBe(200);
		expect(head.body).toBe('');
		expect(head.headers['content-type']).toBe('text/html; charset=utf-8');
		expect(Number(head.headers['content-length'])).toBe(Buffer.byteLength(page.body));
	});

	it('shows a friendly beans page when nothing brews', async () => {
		const beans = await get('/?method=propfind');
		expect(beans.status).toBe(200);
		expectHtml(beans);
		expect(beans.body).toContain('No beans in the pot');
	});

	it('brews with additions: 302 to /, then a countdown, beans, busy, milk and say-when', async () => {
		const brew = await get('/?method=brew&message=start&additions=cream&additions=vanilla&pots=ducky');
		expect(brew.status).toBe(302);
		expect(brew.headers.location).toBe('/');

		const home = await get('/');
		expect(home.status).toBe(200);
		const brewing = home.body.includes('Brewing coffee');
		if (brewing) {
			expect(home.body).toMatch(/id="countdown"[^>]*data-seconds-left="\d+"/);
			expect(home.body).toMatch(/<progress id="brew-progress" max="\d+" value="\d+">/);
		}
		expect(home.body).toContain('<li>cream</li>');
		expect(home.body).toContain('<li>vanilla</li>');

		const beans = await get('/?method=propfind');
		expect(beans.status).toBe(200);
		for (const label of ['Name', 'Origin', 'Profile', 'Strength', 'Roast', 'Type']) expect(beans.body).toContain(`<dt>${label}</dt>`);

		// With cream, milk pours once the brew ends, until WHEN stops it.
		const pouring = await eventually(async () => (await get('/')).body.includes('Milk is pouring'));
		expect(pouring).toBe(true);
		const when = await get('/?method=when');
		expect(when.status).toBe(302);
		expect(when.headers.location).toBe('/');
		expect((await get('/')).body).toContain('Milk stopped');

		const stop = await get('/?method=brew&message=stop');
		expect(stop.status).toBe(302);
		expect(stop.headers.location).toBe('/');
	});

	it('passes the busy pot through as 409 with Retry-After', async () => {
		const ok = await eventually(async () => (await get('/?method=brew&message=start')).status === 302);
		expect(ok).toBe(true);
		const busy = await get('/?method=brew&message=start');
		if (busy.status === 302) return; // the 2 s brew ended in between on a loaded machine
		expect(busy.status).toBe(409);
		expect(busy.headers['retry-after']).toMatch(/^\d+$/);
		expect(busy.body).toContain('<span class="code">409</span> Conflict');
		await get('/?method=brew&message=stop');
	});

	it('lists the history newest first with a count', async () => {
		const log = await get('/log');
		expect(log.status).toBe(200);
		expectHtml(log);
		const count = Number(/id="brew-count">(\d+) brews?</.exec(log.body)?.[1]);
		expect(count).toBeGreaterThanOrEqual(2);
		expect(log.body.match(/<tr><td><time/g)?.length).toBe(count);
		const times = [...log.body.matchAll(/<time datetime="([^"]+)"/g)].map((m) => Date.parse(m[1]));
		expect([...times].sort((a, b) => b - a)).toEqual(times);
	});
});

describe('HTCPCP error pages', () => {
	const cases: Array<[string, number, string]> = [
		['/test-400', 400, 'Bad Request'],
		['/test-404', 404, 'Not Found'],
		['/test-501', 501, 'Not Implemented'],
		['/test-415', 415, 'Unsupported Media Type']
	];
	for (const [path, code, reason] of cases) {
		it(`${path} shows the pot's ${code} ${reason}`, async () => {
			const page = await get(path);
			expect(page.status).toBe(code);
			expectHtml(page);
			expect(page.body).toContain(`<span class="code">${code}</span> ${reason}`);
			expect(page.body).toContain(`HTCPCP/1.1 ${code} ${reason}`);
		});
	}

	it('coffee from the tea pot: 418 page', async () => {
		const page = await get('/?method=brew&message=start&pots=tea');
		expect(page.status).toBe(418);
		expectHtml(page);
		expect(page.body).toContain('<span class="code">418</span> I&#39;m a teapot');
		expect(page.body).toContain('Use-Pot: tea');
	});

	it("chamomile: 406 page listing the additions from the pot's own answer", async () => {
		const page = await get('/?method=brew&message=start&additions=chamomile&pots=ducky');
		expect(page.status).toBe(406);
		expectHtml(page);
		expect(page.body).toContain('<span class="code">406</span> Not Acceptable');
		expect(page.body).toContain('<span class="chip refused">chamomile</span>');
		// Ask the pot directly and compare: the list on the page is the pot's list.
		const direct = await exchange(
			{ host: '127.0.0.1', port: potPort },
			{ method: 'BREW', target: 'coffee://ducky', headers: [{ name: 'Content-Type', value: 'application/coffee-pot-command' }, { name: 'Accept-Additions', value: 'chamomile' }], body: 'start' }
		);
		const listed = splitAdditions(getHeader(direct.response.headers, 'Accept-Additions') ?? '');
		expect(listed.length).toBeGreaterThan(0);
		const shown = /<ul class="chips accepted" id="accepted-additions">(.*?)<\/ul>/.exec(page.body)?.[1] ?? '';
		expect([...shown.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1])).toEqual(listed);
	});

	it('escapes a <script> in an addition name everywhere it is shown', async () => {
		const evil = '<script>alert("x")</script>';
		const page = await get(`/?method=brew&message=start&additions=${encodeURIComponent(evil)}`);
		expect(page.status).toBe(406);
		expect(page.body).not.toContain(evil);
		expect(page.body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
	});
});

describe('HTTP errors', () => {
	it('unknown path: 404 page', async () => {
		const page = await get('/no/such/page');
		expect(page.status).toBe(404);
		expectHtml(page);
		expect(page.body).toContain('<span class="code">404</span> Not Found');
		expect(page.body).toContain('/no/such/page');
	});

	it('a method other than GET or HEAD: 405 with Allow', async () => {
		for (const method of ['POST', 'PUT', 'DELETE', 'BREW']) {
			const page = await request(base + '/', { method });
			expect(page.status).toBe(405);
			expect(page.headers.allow).toBe('GET, HEAD');
			expect(page.body).toContain('<span class="code">405</span> Method Not Allowed');
		}
	});

	it('a bad action or a line break in an addition: 400, nothing sent to the pot', async () => {
		const action = await get('/?method=milk');
		expect(action.status).toBe(400);
		expect(action.body).toContain('is not an action of this web app');
		const injected = await get('/?method=brew&message=start&additions=cream%0D%0AUse-Pot:%20tea');
		expect(injected.status).toBe(400);
		expect(injected.body).toContain('control characters');
		const pot = await get('/?method=brew&message=start&pots=psyduck');
		expect(pot.status).toBe(400);
	});
});

describe('static assets and conditional GET', () => {
	it('serves each asset with a type, ETag, Last-Modified and Cache-Control', async () => {
		const expected: Record<string, string> = {
			'/assets/styles.css': 'text/css; charset=utf-8',
			'/assets/app.js': 'text/javascript; charset=utf-8',
			'/assets/pot.svg': 'image/svg+xml; charset=utf-8',
			'/assets/favicon.svg': 'image/svg+xml; charset=utf-8',
			'/assets/robots.txt': 'text/plain; charset=utf-8',
			'/robots.txt': 'text/plain; charset=utf-8',
			'/favicon.ico': 'image/svg+xml; charset=utf-8'
		};
		for (const [path, type] of Object.entries(expected)) {
			const asset = await get(path);
			expect(asset.status, path).toBe(200);
			expect(asset.headers['content-type']).toBe(type);
			expect(asset.headers.etag).toMatch(/^"[^"]+"$/);
			expect(asset.headers['last-modified']).toMatch(/GMT$/);
			expect(asset.headers['cache-control']).toBe('no-cache');
			expect(Number(asset.headers['content-length'])).toBe(Buffer.byteLength(asset.body));
		}
	});

	it('answers 304 to If-None-Match and If-Modified-Since, with If-None-Match taking precedence', async () => {
		const first = await get('/assets/styles.css');
		const etag = first.headers.etag as string;
		const lastModified = first.headers['last-modified'] as string;

		const byTag = await get('/assets/styles.css', { 'If-None-Match': etag });
		expect(byTag.status).toBe(304);
		expect(byTag.body).toBe('');
		expect(byTag.headers.etag).toBe(etag);

		expect((await get('/assets/styles.css', { 'If-None-Match': `"other", W/${etag}` })).status).toBe(304);
		expect((await get('/assets/styles.css', { 'If-None-Match': '*' })).status).toBe(304);
		expect((await get('/assets/styles.css', { 'If-Modified-Since': lastModified })).status).toBe(304);

		const older = new Date(Date.parse(lastModified) - 1000).toUTCString();
		expect((await get('/assets/styles.css', { 'If-Modified-Since': older })).status).toBe(200);
		expect((await get('/assets/styles.css', { 'If-Modified-Since': 'not a date' })).status).toBe(200);
		// A different tag decides even though the date alone would give 304 (RFC 9110 section 13.2.2).
		const mismatch = await get('/assets/styles.css', { 'If-None-Match': '"other"', 'If-Modified-Since': lastModified });
		expect(mismatch.status).toBe(200);
		expect(mismatch.body).toBe(first.body);

		const head = await request(base + '/assets/pot.svg', { method: 'HEAD', headers: { 'If-None-Match': (await get('/assets/pot.svg')).headers.etag as string } });
		expect(head.status).toBe(304);
	});

	it('does not serve files outside the assets folder', async () => {
		for (const path of ['/assets/../app.ts', '/assets/%2e%2e%2fapp.ts', '/assets/', '/assets/nope.css']) {
			expect((await get(path)).status, path).toBe(404);
		}
	});
});
