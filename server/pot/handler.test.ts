import { describe, expect, it } from 'vitest';
import { ADDITIONS, COFFEE_SCHEMES, TEA_VARIETIES } from '../../src/lib/protocol/index';
import { BEANS, TEA_LEAVES } from './beans';
import { handleRequest, type PotReply } from './handler';
import { parseRequest, testPot, type TestPot } from './testing';

const COFFEE = 'Content-Type: application/coffee-pot-command\r\n';
const TEA = 'Content-Type: message/teapot\r\n';

function send(t: TestPot, raw: string): PotReply {
	return handleRequest(parseRequest(raw), { pot: t.pot, history: () => [] });
}

function brew(t: TestPot, extra = '', body = 'start', target = 'coffee://ducky'): PotReply {
	return send(t, `BREW ${target} HTTP/1.1\r\n${COFFEE}${extra}Content-Length: ${body.length}\r\n\r\n${body}`);
}

describe('request checks', () => {
	it('answers 501 for an unknown method and lists the methods', () => {
		const r = send(testPot(), 'MILK coffee://ducky HTTP/1.1\r\n\r\n');
		expect(r.status).toBe(501);
		expect(r.body).toContain('MILK');
		expect(r.body).toContain('BREW, POST, GET, PROPFIND, WHEN');
	});

	it('answers 400 for a scheme that is not a coffee scheme, naming it', () => {
		const r = send(testPot(), 'GET caffeine://ducky HTTP/1.1\r\n\r\n');
		expect(r.status).toBe(400);
		expect(r.body).toContain('"caffeine"');
		expect(r.body).toContain('coffee://ducky');
	});

	it('accepts every coffee scheme of RFC 2324 section 3, encoded and decoded', () => {
		const t = testPot();
		for (const s of COFFEE_SCHEMES) {
			expect(send(t, `GET ${s.encoded}://ducky HTTP/1.1\r\n\r\n`).status).toBe(200);
			expect(send(t, `GET ${s.decoded}://ducky HTTP/1.1\r\n\r\n`).status).toBe(200);
		}
	});

	it('answers 400 for a path target and for a URI without //host', () => {
		expect(send(testPot(), 'GET / HTTP/1.1\r\n\r\n').status).toBe(400);
		const r = send(testPot(), 'GET coffee:ducky HTTP/1.1\r\n\r\n');
		expect(r.status).toBe(400);
		expect(r.body).toContain('coffee://ducky');
	});

	it('answers 404 for another host', () => {
		const r = send(testPot(), 'GET coffee://psyduck HTTP/1.1\r\n\r\n');
		expect(r.status).toBe(404);
		expect(r.body).toContain('psyduck');
	});

	it('answers 415 for a wrong content type on any method, and for a BREW without one', () => {
		for (const m of ['GET', 'PROPFIND', 'WHEN', 'BREW', 'POST']) {
			const r = send(testPot(), `${m} coffee://ducky HTTP/1.1\r\nContent-Type: application/tea-pot-command\r\nContent-Length: 5\r\n\r\nstart`);
			expect(r.status, m).toBe(415);
			expect(r.body).toContain('application/coffee-pot-command');
		}
		expect(send(testPot(), 'BREW coffee://ducky HTTP/1.1\r\nContent-Length: 5\r\n\r\nstart').status).toBe(415);
		expect(send(testPot(), 'GET coffee://ducky HTTP/1.1\r\n\r\n').status).toBe(200);
	});

	it('answers 400 for a body other than start or stop', () => {
		const r = brew(testPot(), '', 'espresso');
		expect(r.status).toBe(400);
		expect(r.body).toContain('start or stop');
		expect(brew(testPot(), '', '  START\r\n').status).toBe(200);
	});

	it('answers 404 for an unknown pot by header or path', () => {
		expect(brew(testPot(), 'Use-Pot: kettle\r\n').status).toBe(404);
		expect(brew(testPot(), '', 'start', 'coffee://ducky/pot-9').status).toBe(404);
	});

	it("answers 418 for coffee asked of the tea pot, by header or designator", () => {
		const r = brew(testPot(), 'Use-Pot: tea\r\n');
		expect(r.status).toBe(418);
		expect(r.body).toContain("I'm a teapot");
		expect(brew(testPot(), '', 'start', 'coffee://ducky/pot-1').status).toBe(418);
		expect(brew(testPot(), '', 'start', 'coffee://ducky/tea').status).toBe(418);
	});

	it('answers 406 for an addition not offered, with the list in body and header', () => {
		const r = brew(testPot(), 'Accept-Additions: cream; chamomile\r\n');
		expect(r.status).toBe(406);
		const lines = r.body.split('\n');
		expect(lines[0]).toBe('Not acceptable: chamomile');
		expect(lines[1]).toBe(`Acceptable additions: ${ADDITIONS.map((a) => a.name).join(', ')}`);
		expect(r.headers).toContainEqual({ name: 'Accept-Additions', value: ADDITIONS.map((a) => a.name).join(', ') });
		expect(brew(testPot(), '', 'start', 'coffee://ducky?tea').status).toBe(406);
	});

	it('accepts several additions separated by ; or , in any case', () => {
		const t = testPot();
		const r = brew(t, 'Accept-Additions: CREAM, Vanilla;whisky\r\n', 'start', 'coffee://ducky?Oat%20Milk');
		expect(r.status).toBe(200);
		expect(r.body).toBe('Brewing coffee with cream, vanilla, whisky, oat milk; ready in 30 s');
	});
});

describe('brewing', () => {
	it('shows {} when idle, the brew while brewing, and keeps finished coffee until stop', () => {
		const t = testPot(30);
		const get = () => send(t, 'GET coffee://ducky HTTP/1.1\r\n\r\n');
		expect(get().body).toBe('{}');
		expect(brew(t, 'Accept-Additions: vanilla\r\n').status).toBe(200);
		const brewing = JSON.parse(get().body);
		expect(brewing).toMatchObject({ pot: 'ducky', beverage: 'coffee', additions: ['vanilla'], state: 'brewing', secondsLeft: 30, milk: 'none' });
		t.advance(30_000);
		expect(JSON.parse(get().body)).toMatchObject({ state: 'ready', secondsLeft: 0 });
		const stop = brew(t, '', 'stop');
		expect(stop.body).toBe('Stopped: emptied the pot of coffee with vanilla');
		expect(get().body).toBe('{}');
		expect(brew(t, '', 'stop').body).toBe('Nothing to stop: the pot is empty');
		expect(t.events.map((e) => e.outcome)).toEqual(['started', 'completed']);
	});

	it('refuses a second BREW with 409 and Retry-After giving the seconds left', () => {
		const t = testPot(30);
		brew(t);
		t.advance(12_500);
		const r = brew(t);
		expect(r.status).toBe(409);
		expect(r.headers).toContainEqual({ name: 'Retry-After', value: '18' });
		expect(r.body).toContain('busy');
		// One brew at a time across both pots.
		expect(send(t, `BREW coffee://ducky/pot-1/sencha HTTP/1.1\r\n${TEA}Content-Length: 5\r\n\r\nstart`).status).toBe(409);
		const stopped = brew(t, '', 'stop');
		expect(stopped.body).toBe('Stopped brewing coffee');
		expect(t.events.map((e) => e.outcome)).toEqual(['started', 'stopped']);
	});

	it('pours milk when a milk brew ends, until WHEN stops it', () => {
		const t = testPot(5);
		const when = () => send(t, 'WHEN coffee://ducky HTTP/1.1\r\n\r\n');
		const milk = () => JSON.parse(send(t, 'GET coffee://ducky HTTP/1.1\r\n\r\n').body).milk;
		expect(when().body).toBe('No milk is pouring');
		brew(t, 'Accept-Additions: skim\r\n');
		expect(milk()).toBe('none');
		t.advance(5_000);
		expect(milk()).toBe('pouring');
		const r = when();
		expect(r.status).toBe(200);
		expect(r.body).toBe('Milk stopped');
		expect(milk()).toBe('stopped');
		expect(when().body).toBe('No milk is pouring');
	});

	it('returns the bean profile with PROPFIND, {} when empty, seeded', () => {
		const a = testPot(30, 42);
		const b = testPot(30, 42);
		const propfind = (t: TestPot) => send(t, 'PROPFIND coffee://ducky HTTP/1.1\r\n\r\n').body;
		expect(propfind(a)).toBe('{}');
		brew(a);
		brew(b);
		const bean = JSON.parse(propfind(a));
		expect(BEANS).toContainEqual(bean);
		expect(Object.keys(bean).sort()).toEqual(['name', 'origin', 'profile', 'roast', 'strength', 'type']);
		expect(propfind(b)).toBe(propfind(a));
	});
});

describe('the tea pot (RFC 7168)', () => {
	it('answers 300 with Alternates when no variety is named', () => {
		const r = send(testPot(), `BREW coffee://ducky HTTP/1.1\r\n${TEA}Use-Pot: tea\r\nContent-Length: 5\r\n\r\nstart`);
		expect(r.status).toBe(300);
		const alternates = r.headers.find((h) => h.name === 'Alternates')?.value ?? '';
		for (const v of TEA_VARIETIES) expect(alternates).toContain(`{"/${v}" {type message/teapot}}`);
	});

	it('brews a named variety by designator or by Use-Pot', () => {
		const t = testPot();
		const r = send(t, `BREW coffee://ducky/pot-1/darjeeling HTTP/1.1\r\n${TEA}Content-Length: 5\r\n\r\nstart`);
		expect(r.status).toBe(200);
		expect(r.body).toBe('Brewing darjeeling tea; ready in 30 s');
		expect(JSON.parse(send(t, 'GET coffee://ducky HTTP/1.1\r\n\r\n').body)).toMatchObject({ pot: 'tea', beverage: 'tea', variety: 'darjeeling' });
		expect(JSON.parse(send(t, 'PROPFIND coffee://ducky HTTP/1.1\r\n\r\n').body)).toEqual(TEA_LEAVES.darjeeling);
		brew(t, '', 'stop');
		expect(send(t, `BREW coffee://ducky/sencha HTTP/1.1\r\n${TEA}Use-Pot: tea\r\nContent-Length: 5\r\n\r\nstart`).status).toBe(200);
	});

	it('refuses an unknown variety and tea sent to the coffee pot', () => {
		expect(send(testPot(), `BREW coffee://ducky/pot-1/chamomile HTTP/1.1\r\n${TEA}Content-Length: 5\r\n\r\nstart`).status).toBe(404);
		expect(send(testPot(), `BREW coffee://ducky HTTP/1.1\r\n${TEA}Content-Length: 5\r\n\r\nstart`).status).toBe(415);
	});
});

describe('history over HTCPCP', () => {
	it('serves GET coffee://ducky/history as a JSON array', () => {
		const t = testPot();
		const r = handleRequest(parseRequest('GET coffee://ducky/history HTTP/1.1\r\n\r\n'), { pot: t.pot, history: () => [] });
		expect(r.status).toBe(200);
		expect(r.body).toBe('[]');
	});
});
