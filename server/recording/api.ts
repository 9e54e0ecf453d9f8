/**
 * The relay's recording routes, under `/api/` (the relay checks the token
 * before calling `handle`):
 *
 *   GET  /api/recordings                         the recordings in the data folder, newest first
 *   GET  /api/recordings/NAME                    download one .labrec
 *   GET  /api/recordings/NAME/replay.json        its timeline and checkoff verdict (ReplayData)
 *   GET  /api/recordings/NAME/terminal/ID.cast   one terminal as asciicast v2
 *   GET  /api/recordings/NAME/traffic.pcapng     its traffic as pcapng
 *   POST /api/recordings/replay.json             the same for an uploaded .labrec (body: the file)
 *   GET  /api/student                            recording state: { recording, student, file, keyFingerprint }
 *   POST /api/student                            set the student's name: { "student": "..." }
 */

import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import type { Criteria } from '../checkoff/criteria';
import { checkBytes } from '../checkoff/evaluate';
import { replayData, terminalCast, trafficPcapng } from './replay';
import type { SessionRecorder } from './session';

export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
const MAX_JSON_BYTES = 4096;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.labrec$/;

export interface RecordingRoutesOptions {
	/** The recordings folder (`<data>/recordings`). */
	dir: string;
	/** The session being recorded now, if recording is on. */
	recorder: SessionRecorder | null;
	/** The checkoff criteria (loaded from the content once, when first needed). */
	criteria: () => Criteria;
	/** Pinned keys for the verdicts; default: the recording's own key. */
	trustedKeys?: ReadonlySet<string>;
	maxUploadBytes?: number;
}

export interface RecordingRoutes {
	/** Answers the request if it is one of these routes; false otherwise. */
	handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL): boolean;
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Uint8Array, extra: Record<string, string> = {}): void {
	res.writeHead(status, { 'Content-Type': type, 'Content-Length': typeof body === 'string' ? Buffer.byteLength(body) : body.length, 'Cache-Control': 'no-store', ...extra });
	res.end(body);
}

const json = (res: http.ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}) => send(res, status, 'application/json; charset=utf-8', JSON.stringify(value), extra);
const problem = (res: http.ServerResponse, status: number, error: string, message: string, extra: Record<string, string> = {}) => json(res, status, { error, message }, extra);

/** Reads a request body up to `limit` bytes; null (after answering 413) when it is larger. */
function readBody(req: http.IncomingMessage, res: http.ServerResponse, limit: number): Promise<Buffer | null> {
	return new Promise((resolve) => {
		const declared = Number(req.headers['content-length']);
		if (Number.isFinite(declared) && declared > limit) {
			problem(res, 413, 'too-large', `the body is ${declared} bytes; the limit is ${limit}`, { Connection: 'close' });
			req.resume();
			return resolve(null);
		}
		const chunks: Buffer[] = [];
		let size = 0;
		let over = false;
		req.on('data', (c: Buffer) => {
			if (over) return;
			size += c.length;
			if (size > limit) {
				over = true;
				problem(res, 413, 'too-large', `the body is over the limit of ${limit} bytes`, { Connection: 'close' });
				resolve(null);
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => !over && resolve(Buffer.concat(chunks)));
		req.on('error', () => !over && resolve(null));
	});
}

const attachment = (name: string) => `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}"`;

export function recordingRoutes(options: RecordingRoutesOptions): RecordingRoutes {
	const { dir, recorder } = options;
	const limit = options.maxUploadBytes ?? MAX_UPLOAD_BYTES;
	const currentName = () => (recorder ? path.basename(recorder.path) : null);
	const verifyOptions = options.trustedKeys ? { trustedKeys: options.trustedKeys } : {};

	const list = () => {
		let names: string[] = [];
		try {
			names = fs.readdirSync(dir).filter((n) => NAME.test(n));
		} catch {
			names = [];
		}
		const current = currentName();
		return names
			.map((name) => {
				const stat = fs.statSync(path.join(dir, name), { throwIfNoEntry: false });
				return stat ? { name, size: stat.size, modified: stat.mtime.toISOString(), current: name === current } : null;
			})
			.filter((x) => x !== null)
			.sort((a, b) => b.modified.localeCompare(a.modified) || b.name.localeCompare(a.name));
	};

	const load = (res: http.ServerResponse, name: string): Uint8Array | null => {
		if (!NAME.test(name)) {
			problem(res, 400, 'bad-name', 'a recording name is a file name ending in .labrec, as /api/recordings lists them');
			return null;
		}
		if (name === currentName()) recorder?.flush();
		try {
			return new Uint8Array(fs.readFileSync(path.join(dir, name)));
		} catch {
			problem(res, 404, 'not-found', `there is no recording ${name}; /api/recordings lists them`);
			return null;
		}
	};

	const judge = (name: string, bytes: Uint8Array) => {
		const { result, records } = checkBytes(name, bytes, options.criteria(), verifyOptions);
		return { result, records };
	};

	return {
		handle(req, res, url) {
			const p = url.pathname;
			if (p === '/api/student') {
				if (req.method === 'GET' || req.method === 'HEAD') {
					json(res, 200, recorder ? recorder.state() : { recording: false, student: '', file: '', keyFingerprint: '' });
					return true;
				}
				if (req.method !== 'POST') {
					problem(res, 405, 'method-not-allowed', 'use GET or POST for /api/student', { Allow: 'GET, POST' });
					return true;
				}
				void readBody(req, res, MAX_JSON_BYTES).then((body) => {
					if (body === null) return;
					if (!recorder) return problem(res, 409, 'not-recording', 'this relay is not recording (it was started without recording)');
					let value: unknown;
					try {
						value = JSON.parse(body.toString('utf8'));
					} catch {
						return problem(res, 400, 'bad-json', 'send JSON such as {"student": "Ada Lovelace (s1234567)"}');
					}
					try {
						recorder.setStudent((value as { student?: unknown } | null)?.student);
					} catch (error) {
						return problem(res, 400, 'bad-name', (error as Error).message);
					}
					json(res, 200, recorder.state());
				});
				return true;
			}
			if (p !== '/api/recordings' && !p.startsWith('/api/recordings/')) return false;

			if (p === '/api/recordings/replay.json') {
				if (req.method !== 'POST') {
					problem(res, 405, 'method-not-allowed', 'POST a .labrec file to /api/recordings/replay.json', { Allow: 'POST' });
					return true;
				}
				void readBody(req, res, limit).then((body) => {
					if (body === null) return;
					const given = String(req.headers['x-recording-name'] ?? 'uploaded.labrec').slice(0, 200);
					const { result, records } = judge(given, new Uint8Array(body));
					json(res, 200, replayData(given, records, result));
				});
				return true;
			}
			if (req.method !== 'GET' && req.method !== 'HEAD') {
				problem(res, 405, 'method-not-allowed', `${req.method} is not allowed on ${p}`, { Allow: 'GET, HEAD' });
				return true;
			}
			if (p === '/api/recordings') {
				json(res, 200, { current: currentName(), recordings: list() });
				return true;
			}
			const parts = p.slice('/api/recordings/'.length).split('/').map((s) => {
				try {
					return decodeURIComponent(s);
				} catch {
					return '';
				}
			});
			const name = parts[0];
			const bytes = load(res, name);
			if (!bytes) return true;
			const rest = parts.slice(1).join('/');
			if (rest === '') {
				send(res, 200, 'application/octet-stream', bytes, { 'Content-Disposition': attachment(name) });
				return true;
			}
			const { result, records } = judge(name, bytes);
			const base = name.replace(/\.labrec$/, '');
			if (rest === 'replay.json') {
				json(res, 200, { ...replayData(name, records, result), ...(name === currentName() && recorder?.state().recording ? { inProgress: true } : {}) });
			} else if (rest === 'traffic.pcapng') {
				send(res, 200, 'application/vnd.tcpdump.pcap', trafficPcapng(records, [`Recording ${name}, student ${result.student}`]), { 'Content-Disposition': attachment(`${base}.pcapng`) });
			} else if (/^terminal\/[a-z]+\.cast$/.test(rest)) {
				const id = rest.slice('terminal/'.length, -'.cast'.length);
				const cast = terminalCast(records, id, { title: `${id} terminal, ${result.student}` });
				send(res, 200, 'application/x-asciicast; charset=utf-8', cast, { 'Content-Disposition': attachment(`${base}-${id}.cast`) });
			} else {
				problem(res, 404, 'not-found', `no route ${p}; use replay.json, traffic.pcapng or terminal/ID.cast`);
			}
			return true;
		}
	};
}
