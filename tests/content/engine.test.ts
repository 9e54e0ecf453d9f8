import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { checkoffChecks, evaluateCheck } from '../../src/lib/lab/checks';
import { checkFrontmatter } from '../../src/lib/lab/page';
import { grade, questionProblems } from '../../src/lib/lab/questions';
import { runQuery } from '../../src/lib/lab/queries';
import { CheckSchema, QuestionSchema, type CheckDeclaration, type Question } from '../../src/lib/lab/schema';
import { emptySnapshot, plainText, SnapshotBuilder } from '../../src/lib/lab/snapshot';
import { httpGet, httpResponse, Session, typicalSession } from './session';

const q = (x: unknown): Question => v.parse(QuestionSchema, x);
const c = (x: unknown): CheckDeclaration => v.parse(CheckSchema, x);
const none = emptySnapshot();

describe('static questions', () => {
	it('grades single, multiple, numeric, text and order answers', () => {
		const single = q({ id: 'a', type: 'single', prompt: 'p', options: ['HTTP', 'HTCPCP'], answer: 'HTCPCP', explanation: 'e' });
		expect(grade(single, 'htcpcp', none).status).toBe('correct');
		expect(grade(single, 'HTTP', none).status).toBe('wrong');
		expect(grade(single, 'FTP', none).status).toBe('invalid');

		const multiple = q({ id: 'b', type: 'multiple', prompt: 'p', options: ['BREW', 'GET', 'MILK'], answer: ['BREW', 'GET'], explanation: 'e' });
		expect(grade(multiple, ['GET', 'BREW'], none).status).toBe('correct');
		expect(grade(multiple, ['GET'], none).status).toBe('wrong');
		expect(grade(multiple, [], none).status).toBe('invalid');

		const numeric = q({ id: 'c', type: 'numeric', prompt: 'p', answer: 30, tolerance: 2, explanation: 'e' });
		expect(grade(numeric, 31.5, none).status).toBe('correct');
		expect(grade(numeric, '28', none).status).toBe('correct');
		expect(grade(numeric, 33, none).status).toBe('wrong');
		expect(grade(numeric, 'thirty', none).status).toBe('invalid');

		const text = q({ id: 'd', type: 'text', prompt: 'p', answer: ['ducky', 'coffee://ducky'], explanation: 'e' });
		expect(grade(text, '  Coffee://DUCKY ', none).status).toBe('correct');
		expect(grade(text, 'psyduck', none).status).toBe('wrong');

		const order = q({ id: 'e', type: 'order', prompt: 'p', options: ['ACK', 'SYN', 'SYN-ACK'], answer: ['SYN', 'SYN-ACK', 'ACK'], explanation: 'e' });
		expect(grade(order, ['SYN', 'SYN-ACK', 'ACK'], none).status).toBe('correct');
		expect(grade(order, ['ACK', 'SYN', 'SYN-ACK'], none).status).toBe('wrong');
		expect(grade(order, ['SYN', 'ACK'], none).status).toBe('invalid');
	});

	it('finds questions whose answer is not one of the options', () => {
		expect(questionProblems(q({ id: 'a', type: 'single', prompt: 'p', options: ['x', 'y'], answer: 'z', explanation: 'e' }))[0].message).toMatch(/one of the options/);
		expect(questionProblems(q({ id: 'a', type: 'multiple', prompt: 'p', options: ['x', 'y'], answer: ['x', 'w'], explanation: 'e' }))[0].message).toMatch(/"w" is not one of the options/);
		expect(questionProblems(q({ id: 'a', type: 'numeric', prompt: 'p', explanation: 'e' }))[0].message).toMatch(/answer is required/);
		expect(questionProblems(q({ id: 'a', type: 'single', prompt: 'p', options: ['x', 'y'], answer: 'x', explanation: 'e' }))).toEqual([]);
	});
});

describe('traffic questions', () => {
	const snap = typicalSession().snapshot().snapshot;

	it('grades the stylesheet port against the captured traffic, not a fixed answer', () => {
		const port = q({
			id: 'p',
			type: 'numeric',
			prompt: 'Which source port did your browser use for the stylesheet request?',
			traffic: { query: 'client-port', match: { hop: 'browser-webapp', method: 'GET', target: '/assets/styles.css' }, missing: 'Load the site first.' },
			explanation: 'e'
		});
		expect(grade(port, 55433, snap).status).toBe('correct');
		expect(grade(port, 55440, snap).status).toBe('wrong');
		const other = new Session();
		const b = other.open('browser-webapp', 60001);
		other.send(b, 'client', 'GET /assets/styles.css HTTP/1.1\r\nHost: x\r\n\r\n');
		expect(grade(port, 60001, other.snapshot().snapshot).status).toBe('correct');
		expect(grade(port, 55433, none)).toEqual({ status: 'missing', message: 'Load the site first.' });
	});

	it('counts connections, finds frames, statuses, headers and versions', () => {
		expect(runQuery({ query: 'connection-count', match: { hop: 'webapp-pot' }, missing: 'm' }, snap)?.accepted).toEqual([2]);
		expect(runQuery({ query: 'connection-count', match: { hop: 'browser-webapp' }, missing: 'm' }, snap)?.accepted).toEqual([2]);
		const frame = runQuery({ query: 'frame-of', match: { hop: 'webapp-pot', status: 418 }, missing: 'm' }, snap);
		expect(frame?.accepted).toEqual([33]);
		expect(runQuery({ query: 'status-of', match: { hop: 'browser-webapp', target: 'prefix:/?method=brew' }, missing: 'm' }, snap)?.accepted).toEqual([418]);
		expect(runQuery({ query: 'header-value', header: 'server', match: { hop: 'webapp-pot', kind: 'response' }, missing: 'm' }, snap)?.accepted).toEqual(['CoffeePot']);
		expect(runQuery({ query: 'http-version', match: { hop: 'browser-webapp', kind: 'request' }, missing: 'm' }, snap)?.accepted).toContain('1.1');
		expect(runQuery({ query: 'message-count', match: { hop: 'browser-webapp', kind: 'request' }, missing: 'm' }, snap)?.accepted).toEqual([3]);
		expect(runQuery({ query: 'frame-of', match: { status: 406 }, missing: 'm' }, snap)).toBeNull();
	});
});

describe('step checks', () => {
	const snap = typicalSession().snapshot().snapshot;
	const run = (decl: unknown, s = snap) => evaluateCheck(c({ id: 'x', label: 'l', ...(decl as object) }), s);

	it('passes on what the session shows and explains what is missing', () => {
		expect(run({ check: 'pot-status', with: { status: 418 } }).pass).toBe(true);
		expect(run({ check: 'pot-status', with: { status: 406 } })).toEqual({ pass: false, detail: 'no 406 response on webapp-pot yet' });
		expect(run({ check: 'webapp-page', with: { status: 418 } }).pass).toBe(true);
		expect(run({ check: 'persistent-connection' }).pass).toBe(true);
		expect(run({ check: 'conditional-get' }).pass).toBe(true);
		expect(run({ check: 'redirect-seen' }).pass).toBe(false);
		expect(run({ check: 'handshake-seen', with: { hop: 'webapp-pot' } }).pass).toBe(true);
		expect(run({ check: 'request-seen', with: { hop: 'browser-webapp', method: 'GET', target: '/assets/styles.css' } }).pass).toBe(true);
		expect(run({ check: 'tls-seen' }).pass).toBe(false);
		expect(run({ check: 'persistent-connection' }, none).pass).toBe(false);
	});

	it('reads programs, terminals, pot checks and answered questions', () => {
		const b = new SnapshotBuilder();
		b.process({ program: 'pot', state: 'running', pid: 10, timeUs: 1 });
		expect(run({ check: 'program-restarted', with: { program: 'pot' } }, b.snapshot).pass).toBe(false);
		b.process({ program: 'pot', state: 'exited', pid: 10, timeUs: 2 });
		b.process({ program: 'pot', state: 'running', pid: 11, timeUs: 3 });
		expect(run({ check: 'program-restarted', with: { program: 'pot' } }, b.snapshot).pass).toBe(true);
		b.terminal('shell', '\x1b[32mHTCPCP/1.1 418\x1b[0m I\'m a teapot\r\n');
		expect(plainText('\x1b[1mA\x1b[0m\r')).toBe('A');
		expect(run({ check: 'terminal-output', with: { terminal: 'shell', pattern: '^HTCPCP/1\\.1 418' } }, b.snapshot).pass).toBe(true);
		expect(run({ check: 'pot-conformance' }, b.snapshot).pass).toBe(false);
		b.conformance({ timeUs: 4, unreachable: false, passed: 2, failed: 1, cases: [{ name: 'scheme-caffeine', pass: true }, { name: 'status-line', pass: true }, { name: 'addition-chamomile', pass: false }] });
		expect(run({ check: 'pot-conformance' }, b.snapshot).pass).toBe(false);
		expect(run({ check: 'pot-conformance', with: { cases: ['scheme'] } }, b.snapshot).pass).toBe(true);
		b.questions('p', 2, 1);
		expect(evaluateCheck(c({ id: 'x', label: 'l', check: 'questions-answered' }), b.snapshot, { page: 'p' }).pass).toBe(false);
		b.questions('p', 2, 2);
		expect(evaluateCheck(c({ id: 'x', label: 'l', check: 'questions-answered' }), b.snapshot, { page: 'p' }).pass).toBe(true);
	});

	it('lists the checkoff declarations for a verifier', () => {
		const { page, problems } = checkFrontmatter('07-status-codes', {
			title: 'Status codes',
			checks: [
				{ id: 'page-406', check: 'webapp-page', with: { status: 406 }, label: '406 page', checkoff: true },
				{ id: 'brewed', check: 'pot-status', with: { status: 200 }, label: 'brewed' }
			]
		});
		expect(problems).toEqual([]);
		expect(checkoffChecks([page!]).map((x) => `${x.page}/${x.check.id}`)).toEqual(['status-codes/page-406']);
	});
});

describe('the 406 checkoff check reads what the page showed', () => {
	const chamomile = 'BREW coffee://ducky HTTP/1.1\r\nContent-Type: application/coffee-pot-command\r\nAccept-Additions: chamomile\r\nContent-Length: 5\r\n\r\nstart';
	const refusal = 'Not acceptable: chamomile\nAcceptable additions: cream, oat milk, vanilla';
	function session(page: string) {
		const s = new Session();
		const b = s.open('browser-webapp', 55500);
		s.send(b, 'client', httpGet('/?method=brew&message=start&additions=chamomile&pots=ducky'));
		s.potExchange(41100, chamomile, 406, 'Not Acceptable', refusal);
		s.send(b, 'server', httpResponse(406, 'Not Acceptable', page));
		return s.snapshot().snapshot;
	}
	const decl: CheckDeclaration = { id: 'page-406', check: 'webapp-page', with: { status: 406, acceptableAdditions: true }, label: '406', checkoff: true };

	it('passes when the page lists every addition the pot said it accepts', () => {
		const result = evaluateCheck(decl, session('<li>cream</li><li>oat milk</li><li>vanilla</li>'));
		expect(result.pass).toBe(true);
		expect(result.detail).toContain('3 additions');
	});

	it('fails, naming what is missing, when the page leaves additions out', () => {
		const result = evaluateCheck(decl, session('<p>Not acceptable</p><li>cream</li>'));
		expect(result.pass).toBe(false);
		expect(result.detail).toContain('oat milk');
		// Without the option, the 406 page alone is enough.
		expect(evaluateCheck({ ...decl, with: { status: 406 } }, session('<p>Not acceptable</p>')).pass).toBe(true);
	});
});
