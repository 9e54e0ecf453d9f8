import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { HOMEPAGE, ROOT } from './helpers';

const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const TMP = mkdtempSync(path.join(tmpdir(), 'capture-cli-'));

function capture(...args: string[]) {
	const r = spawnSync(TSX, ['server/capture/main.ts', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
	return { out: r.stdout, err: r.stderr, code: r.status };
}

function oneLineError(err: string): void {
	const lines = err.trim().split('\n');
	expect(lines).toHaveLength(1);
	expect(lines[0]).toMatch(/^error: /);
	expect(err).not.toMatch(/\n\s+at /);
}

describe('npm run capture', () => {
	it('lists one line per frame, starting with the Wireshark frame number', () => {
		const r = capture(HOMEPAGE);
		expect(r.code).toBe(0);
		const lines = r.out.trim().split('\n');
		expect(lines).toHaveLength(40);
		lines.forEach((l, i) => expect(l.trim().startsWith(`${i + 1} `)).toBe(true));
		expect(lines[0]).toMatch(/^\s*1\s+0\.000000\s+127\.0\.0\.1:55433 → 127\.0\.0\.1:5031\s+TCP\s+\[SYN\]/);
		expect(lines[10]).toMatch(/127\.0\.0\.1:55434 → 127\.0\.0\.1:5030\s+HTCPCP\s+GET coffee:\/\/ducky HTTP\/1\.1$/);
		expect(lines[12]).toMatch(/HTCPCP\s+HTCPCP\/1\.1 200 OK/);
		expect(lines[14]).toMatch(/TCP\s+\[FIN, ACK\]/);
		expect(lines[20]).toMatch(/HTTP\s+HTTP\/1\.1 200 OK \(text\/html\)$/);
	});

	it('--filter keeps the matching frames', () => {
		const r = capture(HOMEPAGE, '--filter', 'htcpcp');
		expect(r.out.trim().split('\n').map((l) => Number(l.trim().split(' ')[0]))).toEqual([11, 13]);
		const syn = capture(HOMEPAGE, '--filter=tcp.flags.syn == 1 and tcp.port == 5030');
		expect(syn.out.trim().split('\n').map((l) => Number(l.trim().split(' ')[0]))).toEqual([7, 8]);
	});

	it('--frame 13 prints every layer and each header with its annotation', () => {
		const r = capture(HOMEPAGE, '--frame', '13');
		expect(r.code).toBe(0);
		expect(r.out).toMatch(/^Frame 13: 164 bytes on wire/);
		expect(r.out).toMatch(/\nBSD loopback\n/);
		expect(r.out).toMatch(/Transmission Control Protocol, Src Port: 5030, Dst Port: 55434/);
		expect(r.out).toMatch(/Hyper Text Coffee Pot Control Protocol response/);
		for (const h of ['Server: CoffeePot', 'Content-Type: message/coffeepot', 'Date: ']) expect(r.out).toContain(h);
		expect(r.out).toMatch(/RFC 2324/);
		expect(r.out).toMatch(/RFC 9110/);
		expect(r.out).toContain('Body (2 bytes, framing: close): {}');
	});

	it('--json gives the list and the detail as data', () => {
		const list = JSON.parse(capture(HOMEPAGE, '--json').out);
		expect(list.frames).toHaveLength(40);
		expect(list.frames[12]).toMatchObject({ number: 13, protocol: 'HTCPCP', sourcePort: 5030 });
		expect(list.messages.find((m: { frame: number }) => m.frame === 13)).toMatchObject({ startLine: 'HTCPCP/1.1 200 OK', body: '{}' });
		const one = JSON.parse(capture(HOMEPAGE, '--frame', '11', '--json').out);
		expect(one.number).toBe(11);
		expect(one.layers.length).toBeGreaterThanOrEqual(5);
	});

	it('user errors are one line and a non-zero exit', () => {
		const none = capture();
		expect(none.code).toBe(2);
		oneLineError(none.err);
		const missing = capture(path.join(TMP, 'nope.pcapng'));
		expect(missing.code).toBe(1);
		oneLineError(missing.err);
		expect(missing.err).toMatch(/no such file/);
		const filter = capture(HOMEPAGE, '--filter', 'tcp.port === 1');
		expect(filter.code).toBe(2);
		oneLineError(filter.err);
		const frame = capture(HOMEPAGE, '--frame', '99');
		expect(frame.code).toBe(1);
		oneLineError(frame.err);
		expect(frame.err).toMatch(/has 40 frames/);
		const text = path.join(TMP, 'notes.txt');
		writeFileSync(text, 'hello world, not a capture');
		const bad = capture(text);
		expect(bad.code).toBe(1);
		oneLineError(bad.err);
		expect(bad.err).toMatch(/not a capture file.*at byte 0/);
	});

	it('a truncated capture lists what it can, then one error line with the byte', () => {
		const cut = path.join(TMP, 'cut.pcapng');
		writeFileSync(cut, readFileSync(HOMEPAGE).subarray(0, 7000));
		const r = capture(cut);
		expect(r.code).toBe(1);
		expect(r.out.trim().split('\n').length).toBeGreaterThan(10);
		oneLineError(r.err);
		expect(r.err).toMatch(/cut off.*\(at byte \d+\)/);
	});
});
