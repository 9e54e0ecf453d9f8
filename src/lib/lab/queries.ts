/**
 * Traffic queries: questions answered from the student's own traffic are
 * graded against what these return for the snapshot, not a fixed answer.
 * Each returns the accepted values, or `null` while the traffic the question
 * is about does not exist yet (the question then shows its `missing` text).
 */

import type { LabMessage, LabSnapshot } from './snapshot';
import type { Match, TrafficSpec } from './schema';

export type QueryValue = number | string;

export interface QueryResult {
	/** Every value that counts as right (e.g. each frame a message spans). */
	accepted: QueryValue[];
	/** One line on what the answer was taken from, for the explanation. */
	from: string;
}

/** Does a message satisfy every field of the match? `status` on a request matches the status of its response. */
export function matches(m: LabMessage, match: Match | undefined): boolean {
	if (!match) return true;
	if (match.hop && m.hop !== match.hop) return false;
	if (match.protocol) {
		const p = m.tls ? 'TLS' : m.http?.protocol;
		if (p !== match.protocol) return false;
	}
	const h = m.http;
	if (match.kind && h?.kind !== match.kind) return false;
	if (match.method && h?.method?.toUpperCase() !== match.method.toUpperCase()) return false;
	if (match.target !== undefined) {
		const target = h?.target;
		if (target === undefined) return false;
		if (match.target.startsWith('prefix:')) {
			if (!target.startsWith(match.target.slice('prefix:'.length))) return false;
		} else if (target !== match.target) return false;
	}
	if (match.status !== undefined && h?.status !== match.status) return false;
	return true;
}

/** Requests match on request fields; a `status` in the match then refers to the response they got. */
function requestsMatching(s: LabSnapshot, match: Match | undefined): LabMessage[] {
	const { status, ...rest } = match ?? {};
	const requests = s.messages.filter((m) => m.http?.kind === 'request' && matches(m, { ...rest, kind: 'request' }));
	if (status === undefined) return requests;
	return requests.filter((r) => responseTo(s, r)?.http?.status === status);
}

export function responseTo(s: LabSnapshot, request: LabMessage): LabMessage | undefined {
	return s.messages.find((m) => m.conn === request.conn && m.http?.kind === 'response' && m.answers === request.id);
}

/** The messages a match selects: requests unless it asks for responses (by kind or by status alone). */
export function selectMessages(s: LabSnapshot, match: Match | undefined): LabMessage[] {
	if (match?.kind === 'response' || (match?.kind === undefined && match?.status !== undefined && !match.method && !match.target)) {
		return s.messages.filter((m) => m.http?.kind === 'response' && matches(m, { ...match, kind: 'response' }));
	}
	if (match?.kind === 'request' || match?.method || match?.target) return requestsMatching(s, match);
	return s.messages.filter((m) => matches(m, match));
}

function describe(m: LabMessage): string {
	const h = m.http;
	const what = h ? (h.kind === 'request' ? `${h.method} ${h.target}` : `${h.status} response`) : 'TLS record';
	return `${what} (frame ${m.frames.at(-1) ?? '?'})`;
}

function connectionOf(s: LabSnapshot, m: LabMessage) {
	return s.connections.find((c) => c.conn === m.conn);
}

/** Runs a traffic question's query over the snapshot. */
export function runQuery(spec: TrafficSpec, s: LabSnapshot): QueryResult | null {
	const match = spec.match;
	switch (spec.query) {
		case 'client-port':
		case 'server-port': {
			const first = selectMessages(s, match)[0];
			if (!first) return null;
			const c = connectionOf(s, first);
			if (!c) return null;
			const port = spec.query === 'client-port' ? c.client.port : c.server.port;
			return { accepted: [port], from: `the connection that carried ${describe(first)}` };
		}
		case 'connection-count': {
			const hop = match?.hop;
			const narrowed = match && Object.keys(match).some((k) => k !== 'hop');
			const conns = narrowed
				? new Set(selectMessages(s, match).map((m) => m.conn))
				: new Set(s.connections.filter((c) => hop === undefined || c.hop === hop).map((c) => c.conn));
			if (conns.size === 0) return null;
			return { accepted: [conns.size], from: `${conns.size} connection(s)${hop ? ` on ${hop}` : ''} in your traffic` };
		}
		case 'message-count': {
			const n = selectMessages(s, match).length;
			if (n === 0) return null;
			return { accepted: [n], from: `${n} matching message(s) in your traffic` };
		}
		case 'frame-of': {
			const first = selectMessages(s, match)[0];
			if (!first) return null;
			return { accepted: [...first.frames], from: describe(first) };
		}
		case 'header-value': {
			const name = (spec.header ?? '').toLowerCase();
			const first = selectMessages(s, match).find((m) => m.http?.headers.some((h) => h.name.toLowerCase() === name));
			if (!first) return null;
			const values = first.http!.headers.filter((h) => h.name.toLowerCase() === name).map((h) => h.value.trim());
			return { accepted: values, from: `${spec.header} in ${describe(first)}` };
		}
		case 'status-of': {
			const requests = selectMessages(s, { ...match, kind: 'request' });
			for (const r of requests) {
				const res = responseTo(s, r);
				if (res?.http?.status !== undefined) return { accepted: [res.http.status], from: `the response to ${describe(r)}` };
			}
			return null;
		}
		case 'http-version': {
			const first = selectMessages(s, match).find((m) => m.http);
			if (!first) return null;
			const full = first.http!.version;
			const bare = full.replace(/^[A-Z]+\//, '');
			return { accepted: [full, bare], from: describe(first) };
		}
	}
}
