/** The web app's command line: one clear line and a non-zero exit for each mistake. */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { runToExit } from './helpers';

const WEBAPP = 'server/webapp/main.ts';

function expectOneLine(result: { code: number | null; stderr: string }, pattern: RegExp) {
	expect(result.code).not.toBe(0);
	expect(result.code).not.toBeNull();
	const lines = result.stderr.trim().split('\n');
	expect(lines).toHaveLength(1);
	expect(lines[0]).toMatch(pattern);
	expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('webapp command line', () => {
	it('prints help', async () => {
		const result = await runToExit(WEBAPP, ['--help']);
		expect(result.code).toBe(0);
		for (const flag of ['--port', '--local', '--pot', '--https', '--cert', '--key']) expect(result.stdout).toContain(flag);
	});

	it('rejects unknown options and bad values', async () => {
		expectOneLine(await runToExit(WEBAPP, ['--brew']), /^webapp: unknown option "--brew"/);
		expectOneLine(await runToExit(WEBAPP, ['--port', 'abc']), /--port needs a port number/);
		expectOneLine(await runToExit(WEBAPP, ['--pot', 'ducky']), /--pot needs HOST:PORT/);
		expectOneLine(await runToExit(WEBAPP, ['--cert', 'cert.pem']), /--cert needs --key/);
	});

	it('names the port and the flag when the port is in use', async () => {
		const busy = net.createServer();
		await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
		const port = (busy.address() as net.AddressInfo).port;
		try {
			expectOneLine(await runToExit(WEBAPP, ['--local', '--port', String(port)]), new RegExp(`port ${port} is already in use; choose another with --port`));
		} finally {
			busy.close();
		}
	});

	it('says which certificate file is missing or not a certificate', async () => {
		expectOneLine(await runToExit(WEBAPP, ['--cert', '/nonexistent/cert.pem', '--key', '/nonexistent/key.pem']), /certificate file \/nonexistent\/cert\.pem \(--cert\) does not exist/);
		expectOneLine(await runToExit(WEBAPP, ['--cert', 'package.json', '--key', 'package.json']), /package\.json \(--cert\) is not a PEM certificate/);
	});
});
