/**
 * The pot's terminal log: every request and response in a readable form, the
 * way students watch them in the tutor's pot terminal. Each message shows its
 * start line, its headers and its body (control bytes escaped, long bodies cut).
 */

import { reasonPhrase, text, type Header, type HttpMessage } from '../../src/lib/protocol/index';

const MAX_BODY_SHOWN = 400;
const INDENT = '    ';

export type LogWrite = (line: string) => void;

let clockMs = -1;
let clockText = '';
let clockSecond = -1;
/** `HH:MM:SS.` of the current second (UTC). */
let clockPrefix = '';

/**
 * `HH:MM:SS.mmm` (UTC). Under load many lines share a millisecond and most
 * share a second, so the text is kept and only the changed part rebuilt.
 */
function clock(): string {
	const now = Date.now();
	if (now === clockMs) return clockText;
	const second = Math.floor(now / 1000);
	if (second !== clockSecond) {
		clockSecond = second;
		clockPrefix = new Date(second * 1000).toISOString().slice(11, 20);
	}
	const ms = now - second * 1000;
	clockMs = now;
	clockText = clockPrefix + (ms < 10 ? '00' : ms < 100 ? '0' : '') + ms;
	return clockText;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;

/** Makes a body printable: escapes control characters, cuts long bodies. */
export function printable(body: string): string {
	if (body.length <= MAX_BODY_SHOWN && !CONTROL.test(body)) return body;
	const cut = body.length > MAX_BODY_SHOWN ? body.slice(0, MAX_BODY_SHOWN) : body;
	// eslint-disable-next-line no-control-regex
	const shown = cut.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
	return body.length > MAX_BODY_SHOWN ? `${shown}... (${body.length} characters in all)` : shown;
}

function block(headers: readonly Header[], body: string): string {
	let out = '';
	for (const h of headers) out += INDENT + h.name + ': ' + h.value + '\n';
	if (body.length > 0) {
		const shown = printable(body);
		out += INDENT + '\n' + INDENT + (shown.includes('\n') ? shown.replaceAll('\n', '\n' + INDENT) : shown) + '\n';
	}
	return out;
}

export class PotLog {
	constructor(private readonly write: LogWrite) {}

	line(message: string): void {
		this.write(`[${clock()}] ${message}\n`);
	}

	connected(peer: string): void {
		this.line(`${peer} connected`);
	}

	closed(peer: string, requests: number): void {
		this.line(`${peer} closed (${requests} request${requests === 1 ? '' : 's'})`);
	}

	request(peer: string, req: HttpMessage): void {
		const start = `${req.method} ${req.target} ${req.protocol}/${req.versionMajor}.${req.versionMinor}`;
		this.write(`[${clock()}] request from ${peer}: ${start}\n${block(req.headers, text(req.body))}`);
	}

	response(peer: string, status: number, headers: readonly Header[], body: string): void {
		this.write(`[${clock()}] response to ${peer}: HTCPCP/1.1 ${status} ${reasonPhrase(status)}\n${block(headers, body)}`);
	}
}
