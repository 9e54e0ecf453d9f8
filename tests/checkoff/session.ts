/**
 * Records real lab sessions for the checkoff tests without the relay: the
 * real pot and web app run as child processes, each behind a small TCP tap
 * in this process that turns what crosses it into TrafficEvents, and a
 * SessionRecorder writes them (with terminal output, program starts and
 * answers) to a .labrec file, exactly as the relay does.
 */
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TrafficEvent } from '../../src/lib/protocol/analysis/events';
import { nowUs } from '../../server/shared/clock';
import { SessionRecorder, generateRecordingKeys, type RecordingKeys } from '../../server/recording/index';
import { startProgram, type Started } from '../helpers/process';

export const POT_READY = /Listening for connections on [^\s:]+:(\d+)/;
export const WEBAPP_READY = /Coffee web app on (https?):\/\/127\.0\.0\.1:(\d+)\//;

/** The checkoff's steps as the lab does them from the browser. */
export const CHECKOFF_STEPS = ['/?method=get', '/test-400', '/test-404', '/test-501', '/test-415', '/?method=brew&message=start&pots=tea', '/?method=brew&message=start&additions=chamomile&pots=ducky'];
export const WITHOUT_406 = CHECKOFF_STEPS.filter((s) => !s.includes('chamomile'));

export interface Tap {
	port: number;
	close(): Promise<void>;
}

/** A TCP relay from a free port to `upstream`, reporting every open, byte, FIN and close. */
export function openTap(upstream: number, label: string, nextConn: () => number, onEvent: (e: TrafficEvent) => void): Promise<Tap> {
	const sockets = new Set<net.Socket>();
	const server = net.createServer((client) => {
		const conn = nextConn();
		const up = net.connect(upstream, '127.0.0.1');
		sockets.add(client).add(up);
		let opened = false;
		const queue: Buffer[] = [];
		let closed = 0;
		const closeOne = () => {
			if (++closed === 2) onEvent({ type: 'close', conn, timeUs: nowUs() });
		};
		up.on('connect', () => {
			opened = true;
			onEvent({ type: 'open', conn, timeUs: nowUs(), label, client: { address: '127.0.0.1', port: client.remotePort ?? 0 }, server: { address: '127.0.0.1', port: (server.address() as net.AddressInfo).port } });
			for (const b of queue.splice(0)) {
				onEvent({ type: 'data', conn, timeUs: nowUs(), from: 'client', bytes: new Uint8Array(b) });
				up.write(b);
			}
		});
		client.on('data', (b) => {
			if (!opened) return void queue.push(b);
			onEvent({ type: 'data', conn, timeUs: nowUs(), from: 'client', bytes: new Uint8Array(b) });
			up.write(b);
		});
		up.on('data', (b) => {
			onEvent({ type: 'data', conn, timeUs: nowUs(), from: 'server', bytes: new Uint8Array(b) });
			client.write(b);
		});
		client.on('end', () => {
			if (opened) onEvent({ type: 'end', conn, timeUs: nowUs(), from: 'client' });
			up.end();
		});
		up.on('end', () => {
			onEvent({ type: 'end', conn, timeUs: nowUs(), from: 'server' });
			client.end();
		});
		const done = () => {
			sockets.delete(client);
			sockets.delete(up);
		};
		client.on('close', () => (closeOne(), done()));
		up.on('close', () => (closeOne(), done()));
		client.on('error', () => up.destroy());
		up.on('error', () => client.destroy());
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () =>
			resolve({
				port: (server.address() as net.AddressInfo).port,
				close: () =>
					new Promise<void>((r) => {
						for (const s of sockets) s.destroy();
						server.close(() => r());
					})
			})
		);
	});
}

export function get(port: number, target: string): Promise<{ status: number; body: string }> {
	return new Promise((resolve, reject) => {
		const req = http.get({ host: '127.0.0.1', port, path: target, agent: false, timeout: 10_000 }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
		});
		req.on('timeout', () => req.destroy(new Error(`GET ${target} timed out`)));
		req.on('error', reject);
	});
}

export function tempDir(prefix = 'checkoff-test-'): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The lab running behind two taps, recording into `dataDir`. */
export interface LabUnderTap {
	recorder: SessionRecorder;
	webappTap: number;
	potTap: number;
	/** Process-group ids of the pot and the web app (each runs detached, in its own group). */
	groups: number[];
	stop(): Promise<void>;
}

export async function startLab(dataDir: string, keys: RecordingKeys = generateRecordingKeys(), student = 'Ada Lovelace (s1000001)'): Promise<LabUnderTap> {
	let conn = 0;
	const nextConn = () => ++conn;
	const potData = fs.mkdtempSync(path.join(os.tmpdir(), 'checkoff-pot-'));
	const pot: Started = await startProgram('server/pot/main.ts', ['--port', '0', '--local', '--data', potData, '--brew-seconds', '5', '--seed', '3'], POT_READY);
	const potPort = Number(pot.match[1]);
	let recorder: SessionRecorder | null = null;
	const events: TrafficEvent[] = [];
	const onEvent = (e: TrafficEvent) => (recorder ? recorder.onTraffic(e) : events.push(e));
	const potTap = await openTap(potPort, 'client → pot', nextConn, onEvent);
	const app = await startProgram('server/webapp/main.ts', ['--port', '0', '--local', '--pot', `127.0.0.1:${potTap.port}`], WEBAPP_READY);
	const webappTap = await openTap(Number(app.match[2]), 'browser → web app', nextConn, onEvent);
	recorder = SessionRecorder.open({ dataDir, tutorVersion: '0.1.0', student, keys, ports: { pot: potTap.port, webapp: webappTap.port }, writer: { checkpointMs: 0, checkpointRecords: 16 } });
	recorder.onProgramStart('pot', { args: ['--local'], pid: pot.child.pid });
	recorder.onProgramStart('webapp', { args: ['--local'], pid: app.child.pid });
	recorder.onTerminalOutput('pot', pot.output().replace(/\n/g, '\r\n'));
	recorder.onTerminalOutput('webapp', app.output().replace(/\n/g, '\r\n'));
	return {
		recorder,
		webappTap: webappTap.port,
		potTap: potTap.port,
		groups: [pot.child.pid as number, app.child.pid as number],
		stop: async () => {
			await webappTap.close();
			await potTap.close();
			await app.stop();
			await pot.stop();
		}
	};
}

/** A whole session: the steps through the web app's tap, two answers, then a clean close. Returns the file. */
export async function recordSession(dataDir: string, steps: readonly string[], options: { keys?: RecordingKeys; student?: string } = {}): Promise<string> {
	const lab = await startLab(dataDir, options.keys, options.student);
	try {
		for (const step of steps) {
			const before = Date.now();
			await get(lab.webappTap, step);
			lab.recorder.onTerminalInput('shell', `curl http://127.0.0.1:${lab.webappTap}${step}\r`);
			lab.recorder.onTerminalOutput('shell', `$ curl ...${step}\r\n(${Date.now() - before} ms)\r\n`);
		}
		lab.recorder.onAnswer({ lesson: 'architecture', question: 'teapot-reason', answer: "I'm a teapot", correct: true });
		lab.recorder.onAnswer({ lesson: 'architecture', question: 'teapot-reason', answer: "I'm a teapot", correct: true });
		// Give the taps a moment to see the last closes (bounded).
		await new Promise((r) => setTimeout(r, 150));
	} finally {
		await lab.stop();
		lab.recorder.close('test session ended');
	}
	return lab.recorder.path;
}
