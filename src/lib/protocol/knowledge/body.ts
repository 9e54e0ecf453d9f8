/**
 * The body of a message: what it contains and how its end was found
 * (RFC 9112 §6.3; RFC 2324 §4 for message/coffeepot).
 */

import { strictText } from '../bytes';
import { COFFEE_RESPONSE_TYPE } from '../constants';
import { getHeader, mediaType, type HttpMessage, type Protocol } from '../message';
import type { Annotation } from './types';
import { clip, joinWords, plural } from './values';

const FRAMING: Readonly<Record<HttpMessage['framing'], string>> = {
	none: '',
	length: ' Its end was found from Content-Length.',
	chunked: ' It arrived in chunks (Transfer-Encoding: chunked); the sizes and the final zero chunk are not part of it.',
	idle: ' No length was given, so the pot knew the body was over only when the sender paused or half-closed; the original lab\'s web app sends its commands this way.',
	close: ' No length was given, so the body ran until the sender closed the connection, the oldest way to end a response and the one the original pot used.'
};

function describeJson(value: unknown, method: string | undefined): string {
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		const keys = Object.keys(value);
		if (keys.length === 0) return method === 'PROPFIND' ? 'an empty JSON object: no brew, so no beans to describe' : 'an empty JSON object: the pot is idle, nothing is brewing';
		const name = (value as Record<string, unknown>).name;
		const lead = method === 'PROPFIND' ? 'the bean profile' : method === 'GET' ? 'the state of the brew' : 'a JSON object';
		return `${lead}${typeof name === 'string' ? ` "${name}"` : ''} with ${plural(keys.length, 'field')}: ${joinWords(keys.slice(0, 8))}${keys.length > 8 ? ', …' : ''}`;
	}
	if (Array.isArray(value)) return `a JSON list of ${plural(value.length, 'item')}`;
	return `the JSON value ${clip(JSON.stringify(value))}`;
}

export interface BodyContext {
	protocol: Protocol;
	/** The request's method; for a response, the method of the request it answers when known. */
	method?: string;
}

export function annotateBody(msg: HttpMessage, ctx: BodyContext): Annotation {
	const n = msg.body.length;
	const type = mediaType(getHeader(msg.headers, 'Content-Type'));
	const htcpcp = ctx.protocol === 'HTCPCP';
	const rfc = htcpcp ? 'RFC 2324 §4' : 'RFC 9110 §6.4';
	if (n === 0) {
		if (msg.kind === 'response' && (msg.status === 304 || msg.status === 204 || (msg.status ?? 0) < 200)) {
			return { meaning: `no body: a ${msg.status} response never has one`, explanation: 'Some responses are defined to end at the blank line, whatever their headers say: 1xx, 204 and 304, and every answer to HEAD.', rfc: 'RFC 9112 §6.3' };
		}
		if (msg.kind === 'response' && ctx.method === 'HEAD') {
			return { meaning: 'no body: this answers a HEAD request', explanation: 'A HEAD response carries the headers a GET would have, but never the body.', rfc: 'RFC 9112 §6.3' };
		}
		if (msg.kind === 'request') {
			return { meaning: 'no body', explanation: `A ${msg.method ?? ''} request carries nothing after the blank line; the whole request is in the start line and headers.`, rfc: 'RFC 9112 §6.3' };
		}
		return { meaning: 'an empty body', explanation: 'The message ends right after the blank line.', rfc: 'RFC 9112 §6.3' };
	}
	const text = strictText(msg.body);
	const size = plural(n, 'byte');
	const typeLabel = type ?? 'untyped data';
	const framing = FRAMING[msg.framing];
	if (text === null) {
		return { meaning: `${size} of ${typeLabel} (binary)`, explanation: `The body is not text, so it is shown as bytes: an image, a font or compressed data.${framing}`, rfc };
	}
	if (htcpcp && msg.kind === 'request' && (msg.method === 'BREW' || msg.method === 'POST')) {
		const cmd = text.trim().toLowerCase();
		const what = cmd === 'start' ? 'begin brewing' : cmd === 'stop' ? 'stop brewing' : 'an unknown command; RFC 2324 defines only start and stop';
		return { meaning: `the command "${clip(text.trim(), 20)}": ${what}`, explanation: `A BREW body is the coffee message: start or stop, sent as ${typeLabel}.${framing}`, rfc: 'RFC 2324 §2.1.1' };
	}
	let what: string;
	if (type === 'application/json' || type === COFFEE_RESPONSE_TYPE || /^[[{]/.test(text.trim())) {
		try {
			what = describeJson(JSON.parse(text), ctx.method);
		} catch {
			what = `text: "${clip(text.trim())}"`;
		}
	} else if (type === 'text/html') {
		const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
		what = `an HTML page${title ? ` titled "${clip(title)}"` : ''} for the browser to render`;
	} else if (type === 'text/css') {
		what = 'a stylesheet the page uses for its layout and colours';
	} else {
		what = `text: "${clip(text.trim())}"`;
	}
	if (htcpcp && msg.kind === 'response' && msg.status === 406) what = `the additions the pot does offer: ${what}`;
	if (htcpcp && msg.kind === 'response' && msg.status === 418) what = `the teapot's reply: ${what}`;
	const explanation = htcpcp
		? `The pot's reply body, of type ${typeLabel}. RFC 2324 §4 defines message/coffeepot for coffee pot messages; the lab's pot puts JSON in it.${framing}`
		: `The content the headers describe, ${typeLabel}.${framing}`;
	return { meaning: `${size} of ${typeLabel}: ${what}`, explanation, rfc };
}
