import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportCsv, exportJson } from '../../server/lab/export';
import { LabService } from '../../server/lab/service';
import type { LabState } from '../../src/lib/lab/public';
import { ROOT } from '../helpers/process';
import { POT_BREW_TEA, Session, httpGet, httpResponse } from './session';

const CONTENT = path.join(ROOT, 'tests/content/fixtures/good');
const dirs: string[] = [];
const services: LabService[] = [];

function start(dataDir: string): LabService {
	const lab = new LabService({ contentDir: CONTENT, dataDir, evaluateMs: 5 });
	services.push(lab);
	return lab;
}

function tmp(): string {
	const d = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-test-'));
	dirs.push(d);
	return d;
}

afterEach(() => {
	for (const s of services.splice(0)) s.close();
	for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function teapot(): Session {
	const s = new Session();
	const b = s.open('browser-webapp', 50100);
	s.send(b, 'client', httpGet('/?method=brew&message=start&pots=tea'));
	s.potExchange(42000, POT_BREW_TEA, 418, "I'm a teapot", 'I am a teapot');
	s.send(b, 'server', httpResponse(418, "I'm a teapot", '<html>teapot</html>'));
	return s;
}

describe('the lab service', () => {
	it('grades, counts attempts, ticks checks and keeps it all across a restart', async () => {
		const data = tmp();
		const lab = start(data);
		const states: LabState[] = [];
		lab.onState = (s) => states.push(s);

		const wrong = lab.answer('teapot', 'which-protocol', 'HTTP');
		expect(wrong).toMatchObject({ status: 'wrong', attempts: 1, correct: false });
		expect(wrong.explanation).toMatch(/RFC 2324/);
		expect(lab.answer('teapot', 'which-protocol', 'HTCPCP')).toMatchObject({ status: 'correct', attempts: 2, correct: true });
		expect(lab.answer('teapot', 'which-protocol', 'Gopher')).toMatchObject({ status: 'invalid', attempts: 2 });

		// The traffic question waits for its traffic, without counting an attempt.
		expect(lab.answer('teapot', 'teapot-frame', 12)).toMatchObject({ status: 'missing', attempts: 0, message: expect.stringMatching(/Ask the tea pot/) });
		expect(lab.state().teapot.checks['saw-teapot'].pass).toBe(false);

		const session = teapot();
		lab.onTraffic(session.out);
		lab.flush();
		const frame = lab.snapshot().messages.find((m) => m.http?.status === 418 && m.hop === 'webapp-pot')!.frames.at(-1)!;
		expect(lab.answer('teapot', 'teapot-frame', frame + 1)).toMatchObject({ status: 'wrong' });
		expect(lab.answer('teapot', 'teapot-frame', frame)).toMatchObject({ status: 'correct', attempts: 2 });
		const state = lab.state().teapot;
		expect(state.checks['saw-teapot']).toMatchObject({ pass: true });
		expect(state.checks['teapot-page'].pass).toBe(true);
		expect(state.checks['all-answered'].pass).toBe(true);
		expect(state).toMatchObject({ complete: true, score: 3, maxScore: 3 });
		expect(states.length).toBeGreaterThan(0);

		// A restarted relay has no traffic yet, but the answers and the passed checks stay.
		lab.close();
		const again = start(data);
		const after = again.state().teapot;
		expect(after.questions['which-protocol']).toMatchObject({ attempts: 2, correct: true, last: { status: 'correct', value: 'HTCPCP' } });
		expect(after.questions['which-protocol'].explanation).toMatch(/RFC 2324/);
		expect(after.checks['saw-teapot'].pass).toBe(true);
		expect(after.complete).toBe(true);
	});

	it('exports answers as JSON and CSV', () => {
		const lab = start(tmp());
		lab.answer('teapot', 'which-protocol', 'HTTP');
		lab.answer('teapot', 'which-protocol', 'HTCPCP');
		const json = exportJson(lab) as { pages: { page: string; questions: { id: string; attempts: number; answers: unknown[] }[] }[] };
		const q = json.pages[0].questions.find((x) => x.id === 'which-protocol')!;
		expect(q.attempts).toBe(2);
		expect(q.answers).toHaveLength(2);
		const csv = exportCsv(lab).split('\r\n');
		expect(csv[0]).toBe('page,item,id,attempts,correct,score,points,last answer,when,detail');
		expect(csv.find((l) => l.startsWith('teapot,question,which-protocol,'))).toMatch(/^teapot,question,which-protocol,2,yes,1,1,HTCPCP,/);
		expect(csv.find((l) => l.startsWith('teapot,check (checkoff),saw-teapot,'))).toMatch(/,no,/);
	});

	it('sets an unreadable progress file aside instead of failing', () => {
		const data = tmp();
		fs.mkdirSync(path.join(data, 'lab'), { recursive: true });
		fs.writeFileSync(path.join(data, 'lab', 'progress.json'), '{ half a file');
		const lab = start(data);
		expect(lab.state().teapot.questions['which-protocol'].attempts).toBe(0);
		expect(fs.readdirSync(path.join(data, 'lab')).some((n) => n.startsWith('progress.json.unreadable-'))).toBe(true);
		lab.answer('teapot', 'which-protocol', 'HTCPCP');
		expect(JSON.parse(fs.readFileSync(path.join(data, 'lab', 'progress.json'), 'utf8')).pages.teapot.questions['which-protocol'].correct).toBe(true);
	});
});
