/**
 * Header lookup: finds a field's entry (names compare case-insensitively,
 * RFC 9110 §5.1) and says what its value means in the message at hand.
 */

import { BROWSER_HEADERS, BROWSER_PREFIXES } from './headers-browser';
import { HTCPCP_HEADERS } from './headers-htcpcp';
import { MESSAGE_HEADERS } from './headers-message';
import { NEGOTIATION_HEADERS } from './headers-negotiation';
import type { HeaderAnnotation, HeaderContext, HeaderEntry } from './types';
import { clip } from './values';

const ALL: readonly HeaderEntry[] = [...MESSAGE_HEADERS, ...NEGOTIATION_HEADERS, ...BROWSER_HEADERS, ...HTCPCP_HEADERS];

const byName = new Map<string, HeaderEntry>();
for (const e of ALL) {
	const key = e.name.toLowerCase();
	if (byName.has(key)) throw new Error(`knowledge base lists header ${e.name} twice`);
	byName.set(key, e);
}

function findEntry(name: string): HeaderEntry | undefined {
	const key = name.trim().toLowerCase();
	const exact = byName.get(key);
	if (exact) return exact;
	return BROWSER_PREFIXES.find((p) => key.startsWith(p.prefix))?.entry;
}

/** True when `annotateHeader` has a real entry for this field name. */
export function isKnownHeader(name: string): boolean {
	return findEntry(name) !== undefined;
}

/** Every field name with its own entry, in the usual spelling. */
export function knownHeaderNames(): string[] {
	return ALL.map((e) => e.name);
}

function unknownHeader(name: string, value: string): HeaderAnnotation {
	const x = /^x-/i.test(name);
	return {
		known: false,
		meaning: 'a header field this tutor has no entry for',
		explanation: `Anyone may define new header fields (RFC 9110 §16.3), and a receiver that does not recognise one simply ignores it, so unknown fields are normal. ${
			x ? 'The X- prefix was once the convention for experimental fields; RFC 6648 advises against it because such fields tend to become permanent.' : 'Look up its name in the IANA HTTP Field Name Registry to find out who defined it.'
		}`,
		rfc: 'RFC 9110 §5.1',
		inThisMessage: `${name} is set to "${clip(value)}"; a receiver that does not know this field ignores it`
	};
}

/** What a header means in general and what this value means in this message. */
export function annotateHeader(name: string, value: string, context: HeaderContext): HeaderAnnotation {
	const entry = findEntry(name);
	if (!entry) return unknownHeader(name, value);
	const override = context.protocol === 'HTCPCP' ? entry.htcpcp : undefined;
	const inThisMessage = entry.describe ? entry.describe(value, context) : `${entry.name} is "${clip(value)}"`;
	return {
		known: true,
		meaning: override?.meaning ?? entry.meaning,
		explanation: override?.explanation ?? entry.explanation,
		rfc: override?.rfc ?? entry.rfc,
		...(entry.spec || override?.spec ? { spec: override?.spec ?? entry.spec } : {}),
		inThisMessage
	};
}
