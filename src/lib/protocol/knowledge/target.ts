/**
 * The request target (RFC 9112 §3.2): an absolute coffee URI for the pot, a
 * path with a query string for the web app, or one of the rarer forms.
 */

import { POT_HOST } from '../constants';
import { hasScheme, parseCoffeeUri } from '../uri';
import type { Annotation } from './types';
import { joinWords } from './values';

const PAGES: Readonly<Record<string, string>> = {
	'/': 'the web app\'s home page, showing the pot\'s status and the brew form',
	'/log': 'the brew history page',
	'/test-400': 'a page that sends the pot a deliberately bad request to show the 400 error',
	'/test-404': 'a page that asks the pot for the wrong host to show the 404 error',
	'/test-415': 'a page that sends the pot the wrong content type to show the 415 error',
	'/test-501': 'a page that sends the pot an unknown method to show the 501 error',
	'/favicon.ico': 'the little icon browsers show in the tab'
};

/** What the web app's query-string commands ask it to send to the pot. */
function describeCommand(q: URLSearchParams): string | undefined {
	const method = q.get('method');
	if (!method) return undefined;
	const m = method.toUpperCase();
	const parts = [`send the pot an HTCPCP ${m} request`];
	const message = q.get('message');
	if (message) parts.push(`with the body "${message}"`);
	const additions = q.getAll('additions').flatMap((a) => a.split(/[;,]/)).map((a) => a.trim()).filter(Boolean);
	if (additions.length) parts.push(`asking for ${joinWords(additions)} in Accept-Additions`);
	const pot = q.get('pots') ?? q.get('pot');
	if (pot) parts.push(`on the pot "${pot}" (sent as Use-Pot)`);
	return parts.join(' ');
}

export function annotateTarget(target: string, method: string | undefined, htcpcp: boolean): Annotation {
	if (target === '*') {
		return { meaning: 'asterisk form: the server as a whole, not one resource', explanation: 'Only used with OPTIONS, to ask about the server\'s general capabilities.', rfc: 'RFC 9112 §3.2.4' };
	}
	if (method === 'CONNECT') {
		return { meaning: `authority form: open a tunnel to ${target}`, explanation: 'CONNECT names only host:port, because the proxy is asked for a raw TCP tunnel, not a resource.', rfc: 'RFC 9112 §3.2.3' };
	}
	if (hasScheme(target)) {
		const scheme = target.slice(0, target.indexOf(':')).toLowerCase();
		if (scheme === 'http' || scheme === 'https') {
			return { meaning: `absolute form: the full URL ${target}`, explanation: 'A client talking to a proxy sends the whole URL so the proxy knows where to forward it; servers must accept this form too.', rfc: 'RFC 9112 §3.2.2' };
		}
		const parsed = parseCoffeeUri(target);
		if (!parsed.ok) {
			return {
				meaning: `a URI the pot cannot use: ${parsed.message}`,
				explanation: 'HTCPCP requests name the pot with a coffee URI, and only the coffee schemes of RFC 2324 §3 qualify. The lab\'s pot answers 400 Bad Request to anything else, such as caffeine://ducky (the /test-400 check).',
				rfc: 'RFC 2324 §3'
			};
		}
		const u = parsed.uri;
		const bits = [`scheme ${u.rawScheme} (${u.scheme.decoded}, ${u.scheme.languages})`];
		bits.push(u.host ? `host ${u.host}${u.port ? ` port ${u.port}` : ''}` : 'no host');
		if (u.path.length) bits.push(`pot designator ${u.path.join('/')}`);
		if (u.additions.length) bits.push(`additions ${joinWords(u.additions)} in the query`);
		return {
			meaning: `absolute coffee URI: ${bits.join(', ')}`,
			explanation: `HTCPCP requests carry the whole coffee URI in the request line (the absolute form of RFC 9112 §3.2.2) and no Host header, so the pot checks the host here: the lab's pot is "${POT_HOST}" and answers 404 for any other host (coffee://psyduck), and 400 when the scheme://host form is missing. A path after the host may pick a pot, and a query may list additions.`,
			rfc: 'RFC 2324 §3'
		};
	}
	const q = target.indexOf('?');
	const path = q >= 0 ? target.slice(0, q) : target;
	const query = q >= 0 ? target.slice(q + 1) : '';
	const page = PAGES[path] ?? (path.startsWith('/assets/') ? `a static file (stylesheet, script or image) of the web app` : `the resource at ${path}`);
	let meaning = `origin form: path ${path}, ${page}`;
	let explanation = 'A browser talking directly to a server sends only the path and query; the host is in the Host header. ';
	if (query) {
		const command = describeCommand(new URLSearchParams(query));
		if (command) {
			meaning += `; the query string tells the web app to ${command}`;
			explanation += 'The query string (after ?) is the lab\'s command interface: the browser cannot speak HTCPCP, so the links on the home page encode the command as name=value pairs (method, message, additions, pots) and the web app turns them into an HTCPCP request to the pot (task 5). The query syntax itself comes from RFC 3986 §3.4.';
		} else {
			meaning += `, with the query ${query}`;
			explanation += 'The part after ? is the query string, name=value pairs the server reads (RFC 3986 §3.4).';
		}
	} else explanation += htcpcp ? 'An HTCPCP request normally uses a full coffee URI instead.' : 'There is no query string here.';
	return { meaning, explanation, rfc: 'RFC 9112 §3.2.1' };
}
