/**
 * URI schemes: the 23 coffee schemes of RFC 2324 §3 (the word "coffee" in
 * 29 languages, percent-encoded UTF-8 where not ASCII) plus http and https.
 */

import { findCoffeeScheme } from '../uri';
import type { SchemeAnnotation } from './types';

const WEB: Readonly<Record<string, SchemeAnnotation>> = {
	http: {
		meaning: 'a web resource reached over plain TCP, port 80 by default',
		explanation:
			'Everything in an http exchange crosses the network as readable text, which is why the lab\'s capture shows every header. The lab\'s web app uses port 5031 instead of 80.',
		rfc: 'RFC 9110 §4.2.1',
		languages: 'none: a protocol name',
		decoded: 'http'
	},
	https: {
		meaning: 'a web resource reached over TLS, port 443 by default',
		explanation:
			'The same HTTP messages, but sent inside a TLS connection: a capture shows the handshake and then only encrypted records. The browser also checks that the server\'s certificate is valid for the host, which a self-signed lab certificate is not, hence the warning in task 8.',
		rfc: 'RFC 9110 §4.2.2',
		languages: 'none: a protocol name',
		decoded: 'https'
	}
};

/**
 * Explains a scheme as it appeared in a URI (`koffie`, `%E5%92%96%E5%95%A1`,
 * `咖啡`, `https`), or undefined when it is neither a coffee nor a web scheme.
 */
export function annotateScheme(rawScheme: string): SchemeAnnotation | undefined {
	const lower = rawScheme.toLowerCase();
	if (Object.hasOwn(WEB, lower)) return WEB[lower];
	const scheme = findCoffeeScheme(rawScheme);
	if (!scheme) return undefined;
	const encoded = scheme.encoded !== scheme.decoded;
	let explanation = `HTCPCP has one URI scheme per language because coffee is international: RFC 2324 §3 lists 23 words covering 29 languages, and this one is ${scheme.languages}. `;
	explanation += encoded
		? `URI schemes may only use ASCII, so the word ${scheme.decoded} is written as the percent-encoded bytes of its UTF-8 form, ${scheme.encoded}. A pot should accept it either way.`
		: 'It is plain ASCII, so it is written as is.';
	if (scheme.aliases?.length) {
		explanation += ` The RFC prints this entry as ${scheme.encoded}, which is not valid UTF-8: a known erratum for caf%C3%A8 (${scheme.decoded}). The lab accepts both spellings, and also ${scheme.aliases.join(', ')}.`;
	}
	return {
		meaning: `"${scheme.decoded}": coffee in ${scheme.languages}`,
		explanation,
		rfc: 'RFC 2324 §3',
		languages: scheme.languages,
		decoded: scheme.decoded
	};
}
