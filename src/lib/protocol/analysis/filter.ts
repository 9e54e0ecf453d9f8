/**
 * A small subset of Wireshark's display-filter language:
 *
 *   expr    = or
 *   or      = and *( ("or" / "||") and )
 *   and     = not *( ("and" / "&&") not )
 *   not     = ("not" / "!") not / primary
 *   primary = "(" expr ")" / field [ op value ]
 *   op      = "==" / "!=" / "<" / "<=" / ">" / ">=" / "eq" / "ne" / "lt" / "le" / "gt" / "ge" / "contains"
 *
 * A field alone tests presence (`http`, `tls`, `tcp.flags.syn` is present on
 * every TCP frame, so compare it: `tcp.flags.syn == 1`). A field with several
 * values (`tcp.port`, `ip.addr`) matches `==` when any value does; `!=` is
 * its negation.
 */

import { getHeader } from '../message';
import type { AnalyzedMessage, CaptureAnalysis, FrameInfo, TlsRecordInfo } from './model';

type Value = number | string;
type Getter = (f: FrameInfo, ctx: Ctx) => Value[];

interface Ctx {
	messages: readonly AnalyzedMessage[];
	tls: readonly TlsRecordInfo[];
}

const flag = (bit: number): Getter => (f) => (f.tcp ? [f.tcp.flags & bit ? 1 : 0] : []);
const msgs = (f: FrameInfo, c: Ctx, protocol?: string) =>
	f.messages.map((id) => c.messages[id]).filter((m) => protocol === undefined || m.protocol === protocol);
const present = (ok: boolean): Value[] => (ok ? [1] : []);

function messageFields(p: 'HTTP' | 'HTCPCP'): Record<string, Getter> {
	const prefix = p.toLowerCase();
	return {
		[prefix]: (f, c) => present(msgs(f, c, p).length > 0),
		[`${prefix}.request`]: (f, c) => present(msgs(f, c, p).some((m) => m.message.kind === 'request')),
		[`${prefix}.response`]: (f, c) => present(msgs(f, c, p).some((m) => m.message.kind === 'response')),
		[`${prefix}.request.method`]: (f, c) => msgs(f, c, p).flatMap((m) => (m.message.method ? [m.message.method] : [])),
		[`${prefix}.request.uri`]: (f, c) => msgs(f, c, p).flatMap((m) => (m.message.target ? [m.message.target] : [])),
		[`${prefix}.response.code`]: (f, c) => msgs(f, c, p).flatMap((m) => (m.message.status !== undefined ? [m.message.status] : [])),
		[`${prefix}.content_type`]: (f, c) =>
			msgs(f, c, p).flatMap((m) => {
				const v = getHeader(m.message.headers, 'content-type');
				return v === undefined ? [] : [v];
			})
	};
}

const FIELDS: Record<string, Getter> = {
	frame: () => [1],
	'frame.number': (f) => [f.number],
	'frame.len': (f) => [f.length],
	ip: (f) => present(f.ip?.version === 4),
	ipv6: (f) => present(f.ip?.version === 6),
	'ip.addr': (f) => (f.ip?.version === 4 ? [f.source, f.destination] : []),
	'ip.src': (f) => (f.ip?.version === 4 ? [f.source] : []),
	'ip.dst': (f) => (f.ip?.version === 4 ? [f.destination] : []),
	'ipv6.addr': (f) => (f.ip?.version === 6 ? [f.source, f.destination] : []),
	'ipv6.src': (f) => (f.ip?.version === 6 ? [f.source] : []),
	'ipv6.dst': (f) => (f.ip?.version === 6 ? [f.destination] : []),
	tcp: (f) => present(f.tcp !== undefined),
	'tcp.port': (f) => (f.tcp ? [f.tcp.sourcePort, f.tcp.destinationPort] : []),
	'tcp.srcport': (f) => (f.tcp ? [f.tcp.sourcePort] : []),
	'tcp.dstport': (f) => (f.tcp ? [f.tcp.destinationPort] : []),
	'tcp.stream': (f) => (f.tcp ? [f.tcp.stream] : []),
	'tcp.len': (f) => (f.tcp ? [f.tcp.payload.length] : []),
	'tcp.seq': (f) => (f.tcp ? [f.tcp.relativeSeq] : []),
	'tcp.ack': (f) => (f.tcp ? [f.tcp.relativeAck] : []),
	'tcp.flags.fin': flag(0x01),
	'tcp.flags.syn': flag(0x02),
	'tcp.flags.reset': flag(0x04),
	'tcp.flags.push': flag(0x08),
	'tcp.flags.ack': flag(0x10),
	'tcp.analysis.retransmission': (f) => present(f.tcp?.retransmission === true),
	'tcp.analysis.out_of_order': (f) => present(f.tcp?.outOfOrder === true),
	...messageFields('HTTP'),
	...messageFields('HTCPCP'),
	tls: (f) => present(f.tlsRecords.length > 0),
	'tls.record.content_type': (f, c) => f.tlsRecords.map((id) => c.tls[id].contentType),
	'tls.handshake.type': (f, c) => f.tlsRecords.flatMap((id) => c.tls[id].handshakes.map((h) => h.type)),
	'tls.handshake.extensions_server_name': (f, c) =>
		f.tlsRecords.flatMap((id) => c.tls[id].handshakes.flatMap((h) => (h.serverName ? [h.serverName] : [])))
};
FIELDS['tcp.flags.rst'] = FIELDS['tcp.flags.reset'];

export const FILTER_FIELDS: readonly string[] = Object.keys(FIELDS).sort();

export class FilterError extends Error {
	constructor(
		message: string,
		readonly position: number
	) {
		super(message);
		this.name = 'FilterError';
	}
}

type Node =
	| { t: 'or' | 'and'; a: Node; b: Node }
	| { t: 'not'; a: Node }
	| { t: 'test'; field: string; get: Getter; op?: string; value?: Value };

interface Token {
	text: string;
	at: number;
	quoted?: boolean;
}

const OPS: Record<string, string> = { '==': '==', eq: '==', '!=': '!=', ne: '!=', '<': '<', lt: '<', '<=': '<=', le: '<=', '>': '>', gt: '>', '>=': '>=', ge: '>=', contains: 'contains' };

function tokenize(src: string): Token[] {
	const out: Token[] = [];
	let i = 0;
	while (i < src.length) {
		const c = src[i];
		if (/\s/.test(c)) {
			i++;
		} else if (c === '"') {
			const end = src.indexOf('"', i + 1);
			if (end < 0) throw new FilterError('a quoted string is not closed', i);
			out.push({ text: src.slice(i + 1, end), at: i, quoted: true });
			i = end + 1;
		} else if ('()'.includes(c)) {
			out.push({ text: c, at: i });
			i++;
		} else if (/[=!<>&|]/.test(c)) {
			const two = src.slice(i, i + 2);
			const op = ['==', '!=', '<=', '>=', '&&', '||'].includes(two) ? two : c;
			if (op === '=' || op === '&' || op === '|') throw new FilterError(`"${op}" is not an operator (use == , && or ||)`, i);
			out.push({ text: op, at: i });
			i += op.length;
		} else {
			const m = /^[^\s()"=!<>&|]+/.exec(src.slice(i)) as RegExpExecArray;
			out.push({ text: m[0], at: i });
			i += m[0].length;
		}
	}
	return out;
}

export function parseFilter(src: string): (f: FrameInfo, a: Pick<CaptureAnalysis, 'messages' | 'tlsRecords'>) => boolean {
	const tokens = tokenize(src);
	let pos = 0;
	const peek = () => tokens[pos];
	const word = (t: Token | undefined, ...w: string[]) => t !== undefined && !t.quoted && w.includes(t.text.toLowerCase());
	const end = () => (tokens.length > 0 ? tokens[tokens.length - 1].at + tokens[tokens.length - 1].text.length : 0);

	function or(): Node {
		let a = and();
		while (word(peek(), 'or', '||')) {
			pos++;
			a = { t: 'or', a, b: and() };
		}
		return a;
	}
	function and(): Node {
		let a = not();
		while (word(peek(), 'and', '&&')) {
			pos++;
			a = { t: 'and', a, b: not() };
		}
		return a;
	}
	function not(): Node {
		if (word(peek(), 'not', '!')) {
			pos++;
			return { t: 'not', a: not() };
		}
		return primary();
	}
	function primary(): Node {
		const t = peek();
		if (!t) throw new FilterError('the filter ends where a field was expected', end());
		if (t.text === '(' && !t.quoted) {
			pos++;
			const inner = or();
			if (peek()?.text !== ')') throw new FilterError('a "(" is not closed', t.at);
			pos++;
			return inner;
		}
		const field = t.text.toLowerCase();
		const get = FIELDS[field];
		if (!get || t.quoted) {
			throw new FilterError(`unknown field "${t.text}" (try htcpcp, http, tls, tcp.port, tcp.flags.syn, ip.addr, frame.number)`, t.at);
		}
		pos++;
		const opToken = peek();
		const op = opToken && !opToken.quoted ? OPS[opToken.text.toLowerCase()] : undefined;
		if (!op) return { t: 'test', field, get };
		pos++;
		const v = peek();
		if (!v || (!v.quoted && (v.text === ')' || v.text === '('))) {
			throw new FilterError(`"${opToken.text}" needs a value after it`, opToken.at);
		}
		pos++;
		const value: Value = !v.quoted && /^(0x[0-9a-f]+|\d+)$/i.test(v.text) ? Number(v.text) : v.text;
		return { t: 'test', field, get, op, value };
	}

	const tree = or();
	if (pos < tokens.length) throw new FilterError(`unexpected "${tokens[pos].text}"`, tokens[pos].at);

	return (f, a) => evaluate(tree, f, { messages: a.messages, tls: a.tlsRecords });
}

function compare(x: Value, op: string, v: Value): boolean {
	if (op === 'contains') return String(x).toLowerCase().includes(String(v).toLowerCase());
	if (typeof x === 'number' && typeof v === 'number') {
		return op === '==' ? x === v : op === '<' ? x < v : op === '<=' ? x <= v : op === '>' ? x > v : x >= v;
	}
	const a = String(x).toLowerCase();
	const b = String(v).toLowerCase();
	return op === '==' ? a === b : op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

function evaluate(n: Node, f: FrameInfo, c: Ctx): boolean {
	switch (n.t) {
		case 'or':
			return evaluate(n.a, f, c) || evaluate(n.b, f, c);
		case 'and':
			return evaluate(n.a, f, c) && evaluate(n.b, f, c);
		case 'not':
			return !evaluate(n.a, f, c);
		case 'test': {
			const values = n.get(f, c);
			if (n.op === undefined) return values.length > 0;
			if (n.op === '!=') return values.length > 0 && !values.some((x) => compare(x, '==', n.value as Value));
			return values.some((x) => compare(x, n.op as string, n.value as Value));
		}
	}
}
