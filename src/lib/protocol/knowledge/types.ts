/**
 * Shapes shared by the knowledge base. Every text here is written for a
 * student looking at one message of the lab: short, concrete, honest about
 * what is standard and what is the lab's own invention.
 */

import type { Protocol } from '../message';

export interface Annotation {
	/** One line: what this thing is. */
	meaning: string;
	/** A few sentences for a student: why it exists and what to notice. */
	explanation: string;
	/**
	 * The RFC section that defines it, written `RFC 9110 §15.5.5`. When the
	 * thing is not defined by an RFC at all, this names the RFC rule it rests
	 * on and `spec` names the document that really defines it.
	 */
	rfc: string;
	/** The defining document when it is not an RFC (W3C, WHATWG, the lab itself). */
	spec?: string;
}

export interface HeaderContext {
	kind: 'request' | 'response';
	protocol: Protocol;
	/** The request's method (for a response: the method of the request it answers, when known). */
	method?: string;
	/** A response's status code. */
	status?: number;
}

export type HeaderAnnotation = Annotation & {
	/** False for a field the knowledge base has no entry for. */
	known: boolean;
	/** What this particular value means in this particular message. */
	inThisMessage: string;
};

export type SchemeAnnotation = Annotation & {
	/** Languages the scheme's word comes from (RFC 2324 §3 lists them). */
	languages: string;
	/** The scheme as Unicode text. */
	decoded: string;
};

export interface RfcRef {
	rfc: number;
	/** Section numbers, `[15, 5, 5]` for §15.5.5. */
	section: number[];
}

const REF_RE = /^RFC (\d{3,5}) §(\d+(?:\.\d+)*)$/;

/** Parses `RFC 9110 §15.5.5`; returns undefined for anything else. */
export function parseRfcRef(text: string): RfcRef | undefined {
	const m = REF_RE.exec(text);
	if (!m) return undefined;
	return { rfc: Number(m[1]), section: m[2].split('.').map(Number) };
}

/** The reference in the form `parseRfcRef` reads. */
export function formatRfcRef(ref: RfcRef): string {
	return `RFC ${ref.rfc} §${ref.section.join('.')}`;
}

/** A link to the section on the RFC Editor's site. */
export function rfcUrl(ref: RfcRef): string {
	return `https://www.rfc-editor.org/rfc/rfc${ref.rfc}#section-${ref.section.join('.')}`;
}

/** What to print as the source of an annotation: the defining document first. */
export function citation(a: Annotation): string {
	return a.spec ? `${a.spec}; ${a.rfc}` : a.rfc;
}

/** One header's entry in the knowledge base. */
export interface HeaderEntry extends Annotation {
	/** The field name in its usual spelling. */
	name: string;
	/** What one value means in one message; without it a plain restatement is used. */
	describe?: (value: string, ctx: HeaderContext) => string;
	/** A different reading when the field appears in an HTCPCP message. */
	htcpcp?: Partial<Annotation>;
}

/** Builds a header entry; keeps the tables short. */
export function header(
	name: string,
	rfc: string,
	meaning: string,
	explanation: string,
	describe?: HeaderEntry['describe'],
	extra?: Partial<Pick<HeaderEntry, 'spec' | 'htcpcp'>>
): HeaderEntry {
	return { name, rfc, meaning, explanation, describe, ...extra };
}
