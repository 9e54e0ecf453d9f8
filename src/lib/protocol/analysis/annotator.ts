/**
 * The frame detail's annotations, all taken from the knowledge base
 * (../knowledge): this file only maps its answers onto detail fields.
 */

import {
	annotateMessage,
	annotateSni,
	annotateTcpFlags,
	annotateTlsHandshake,
	annotateTlsRecord,
	citation,
	TLS_UNREADABLE,
	type Annotation
} from '../knowledge/index';
import { versionString } from '../message';
import type { Annotator, Note } from './detail';

function note(a: Annotation | undefined): Note | undefined {
	return a ? { meaning: a.meaning, explanation: a.explanation, rfc: citation(a) } : undefined;
}

export const knowledgeAnnotator: Annotator = {
	message(m, request) {
		const msg = m.message;
		const a = annotateMessage(msg, { request: request?.message });
		const s = a.startLine;
		const version = versionString(msg);
		return {
			startLine:
				msg.kind === 'request'
					? [
							{ label: 'Method', value: msg.method ?? '', note: note(s.method) },
							{ label: 'Target', value: msg.target ?? '', note: note(s.target) },
							{ label: 'Version', value: version, note: note(s.version) }
						]
					: [
							{ label: 'Version', value: version, note: note(s.version) },
							{ label: 'Status', value: String(msg.status), note: note(s.status) },
							{ label: 'Reason', value: msg.reason ?? '' }
						],
			headers: a.headers.map((h) => ({
				meaning: h.annotation.meaning,
				explanation: h.annotation.explanation,
				rfc: citation(h.annotation),
				inThisMessage: h.annotation.inThisMessage
			})),
			body: note(a.body)
		};
	},
	tcpFlags(flags) {
		const list = annotateTcpFlags({
			fin: (flags & 0x01) !== 0,
			syn: (flags & 0x02) !== 0,
			rst: (flags & 0x04) !== 0,
			psh: (flags & 0x08) !== 0,
			ack: (flags & 0x10) !== 0,
			urg: (flags & 0x20) !== 0,
			ece: (flags & 0x40) !== 0,
			cwr: (flags & 0x80) !== 0
		});
		if (list.length === 0) return undefined;
		return {
			meaning: list.map((x) => x.meaning).join('; '),
			explanation: list.map((x) => x.explanation).join(' '),
			rfc: [...new Set(list.map((x) => citation(x)))].join(', ')
		};
	},
	tls: (r) => note(annotateTlsRecord(r.contentType)),
	tlsHandshake: (type) => note(annotateTlsHandshake(type)),
	sni: (name) => note(annotateSni(name)),
	unreadable: () => note(TLS_UNREADABLE)
};
