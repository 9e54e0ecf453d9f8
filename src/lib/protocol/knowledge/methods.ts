/**
 * Request methods. The same word can mean different things: in HTCPCP a GET
 * asks the pot what it is brewing and POST is an old spelling of BREW
 * (RFC 2324 §2.1), while in HTTP they fetch and submit (RFC 9110 §9.3).
 */

import type { Protocol } from '../message';
import type { Annotation } from './types';

const HTTP: Readonly<Record<string, Annotation>> = {
	GET: {
		meaning: 'fetch the current representation of the target resource',
		explanation:
			'The browser sends GET for every page, stylesheet and image it loads. A GET must not change anything on the server, so caches may store the answer and the browser may repeat it freely. The lab\'s web app bends this a little: its links such as /?method=brew&message=start carry a command in the query string, and the web app turns that into an HTCPCP request to the pot.',
		rfc: 'RFC 9110 §9.3.1'
	},
	HEAD: {
		meaning: 'like GET, but the answer carries headers only',
		explanation:
			'A HEAD response has the same status line and headers a GET would have, but no body, even when Content-Length says how long that body would be. Tools use it to check whether a page exists or has changed without downloading it.',
		rfc: 'RFC 9110 §9.3.2'
	},
	POST: {
		meaning: 'hand the enclosed body to the resource to process',
		explanation:
			'A browser sends POST when a form says method="post". What the server does with the body is up to that resource, which is why a browser asks before repeating a POST. (In HTCPCP the same word is the deprecated alias of BREW.)',
		rfc: 'RFC 9110 §9.3.3'
	},
	PUT: {
		meaning: 'create or replace the target resource with the enclosed body',
		explanation:
			'PUT stores the body as the new state of the resource at that URL. Sending the same PUT twice has the same effect as once (it is idempotent). Browsers never send it from a plain link or form.',
		rfc: 'RFC 9110 §9.3.4'
	},
	DELETE: {
		meaning: 'remove the target resource',
		explanation:
			'DELETE asks the server to forget the resource at that URL. Like PUT it is idempotent. The lab\'s web app does not allow it and answers 405 with an Allow header.',
		rfc: 'RFC 9110 §9.3.5'
	},
	CONNECT: {
		meaning: 'open a tunnel through a proxy to host:port',
		explanation:
			'A browser behind a proxy sends CONNECT host:443 so the proxy opens a TCP connection and then just relays bytes; the TLS handshake runs through the tunnel. The target is in authority form (host:port), not a path.',
		rfc: 'RFC 9110 §9.3.6'
	},
	OPTIONS: {
		meaning: 'ask what the server or resource supports',
		explanation:
			'OPTIONS asks about communication options rather than content. Browsers send it as the CORS preflight before a cross-origin request that is not "simple". The target * asks about the server as a whole.',
		rfc: 'RFC 9110 §9.3.7'
	},
	TRACE: {
		meaning: 'ask the server to echo the request back',
		explanation:
			'TRACE is a diagnostic loop-back: the answer shows the request as the last hop received it. Most servers disable it because it can leak headers.',
		rfc: 'RFC 9110 §9.3.8'
	},
	PATCH: {
		meaning: 'apply a partial change to the target resource',
		explanation:
			'PATCH sends a description of changes (a patch document) rather than a whole new version. It is defined outside the core HTTP documents.',
		rfc: 'RFC 5789 §2'
	}
};

const HTCPCP: Readonly<Record<string, Annotation>> = {
	BREW: {
		meaning: 'start or stop the pot: the body says "start" or "stop"',
		explanation:
			'BREW is the method HTCPCP adds for controlling a pot. The body is the command, sent with Content-Type application/coffee-pot-command, and Accept-Additions may ask for milk, syrup or spirits. The lab\'s pot answers 200 when it starts, and refuses a second brew while one is running.',
		rfc: 'RFC 2324 §2.1.1'
	},
	POST: {
		meaning: 'the deprecated spelling of BREW',
		explanation:
			'RFC 2324 requires a pot to treat POST exactly like BREW but says using POST to make things happen is deprecated; BREW exists so the intent is explicit. In HTCPCP, POST has nothing to do with submitting a web form.',
		rfc: 'RFC 2324 §2.1.1'
	},
	GET: {
		meaning: 'ask the pot what it is brewing now (it does not fetch coffee)',
		explanation:
			'In HTTP, GET retrieves a resource. RFC 2324 points out you cannot download coffee, so in HTCPCP GET only reports on the pot. The lab\'s pot answers with JSON describing the brew in progress, or {} when it is idle: that is the 2-byte body in the homepage capture.',
		rfc: 'RFC 2324 §2.1.2'
	},
	PROPFIND: {
		meaning: 'ask for metadata about the coffee, such as the beans',
		explanation:
			'PROPFIND (borrowed from WebDAV) returns properties of the brew rather than the brew itself. The lab\'s pot answers with the bean profile it picked for the current brew: name, origin, roast and so on. The web app shows it on the beans page.',
		rfc: 'RFC 2324 §2.1.3'
	},
	WHEN: {
		meaning: 'say "when!": stop pouring milk',
		explanation:
			'If milk was requested, the pot starts pouring when brewing ends and keeps going until the client sends WHEN, like telling a waiter "when". The lab\'s web app sends it from the /?method=when link.',
		rfc: 'RFC 2324 §2.1.4'
	}
};

/** What a method means in the given protocol, or undefined for a method neither defines. */
export function annotateMethod(method: string, protocol: Protocol): Annotation | undefined {
	const table = protocol === 'HTCPCP' ? HTCPCP : HTTP;
	return Object.hasOwn(table, method) ? table[method] : undefined;
}

/** Methods the knowledge base explains, per protocol. */
export function knownMethods(protocol: Protocol): string[] {
	return Object.keys(protocol === 'HTCPCP' ? HTCPCP : HTTP);
}
