/**
 * A whole message explained part by part: protocol, start line, each header
 * and the body. This is what the CLI's `--frame N` detail and the browser
 * inspector print.
 */

import { findCoffeeScheme, hasScheme } from '../uri';
import type { HttpMessage, Protocol } from '../message';
import { annotateBody } from './body';
import { annotateHeader } from './headers';
import { annotateMethod } from './methods';
import { annotateStatus } from './statuses';
import { annotateTarget } from './target';
import type { Annotation, HeaderAnnotation } from './types';

export interface MessageAnnotation {
	protocol: Annotation;
	startLine: {
		method?: Annotation;
		target?: Annotation;
		version: Annotation;
		status?: Annotation;
	};
	headers: Array<{ name: string; value: string; annotation: HeaderAnnotation }>;
	body: Annotation;
}

export interface MessageContext {
	/** For a response: the request it answers, when the caller paired them. */
	request?: HttpMessage;
}

const HTCPCP_ONLY_METHODS = new Set(['BREW', 'PROPFIND', 'WHEN']);

/**
 * Which protocol a message really speaks. The lab's web app sends
 * `GET coffee://ducky HTTP/1.1`, an HTCPCP request with an HTTP version, so
 * the version word alone is not enough: a coffee URI or an HTCPCP-only method
 * also marks a request as HTCPCP, and a response inherits its request's protocol.
 */
export function messageProtocol(msg: HttpMessage, request?: HttpMessage): Protocol {
	if (msg.protocol === 'HTCPCP') return 'HTCPCP';
	if (msg.kind === 'request') {
		if (msg.method && HTCPCP_ONLY_METHODS.has(msg.method)) return 'HTCPCP';
		const target = msg.target ?? '';
		if (hasScheme(target)) {
			const scheme = target.slice(0, target.indexOf(':'));
			if (findCoffeeScheme(scheme) || !/^https?$/i.test(scheme)) return 'HTCPCP';
		}
		return 'HTTP';
	}
	return request ? messageProtocol(request) : 'HTTP';
}

const PROTOCOLS: Readonly<Record<Protocol, Annotation>> = {
	HTTP: {
		meaning: 'HTTP/1.1: a text protocol of requests and responses over TCP',
		explanation: 'Each message is a start line, header lines, a blank line and an optional body. A request starts with a method; a response starts with the version and a status code, which is how to tell them apart. Here it runs between the browser and the web app on port 5031.',
		rfc: 'RFC 9112 §2.1'
	},
	HTCPCP: {
		meaning: 'HTCPCP: HTTP with extra methods, headers and coffee URIs for controlling a pot',
		explanation: 'The Hyper Text Coffee Pot Control Protocol (an April 1st RFC from 1998, extended for tea in 2014) reuses HTTP\'s message format unchanged. In the lab it runs between the web app and the pot on port 5030, never between the browser and the pot: a browser cannot send BREW or coffee URIs.',
		rfc: 'RFC 2324 §2'
	}
};

function annotateVersion(msg: HttpMessage, protocol: Protocol): Annotation {
	const v = `${msg.protocol}/${msg.versionMajor}.${msg.versionMinor}`;
	if (msg.protocol === 'HTCPCP') {
		return {
			meaning: `${v}: the HTCPCP version word`,
			explanation: `RFC 2324 is titled HTCPCP/1.0; the lab's pot labels its replies ${v}. Wireshark\'s HTTP dissector does not recognise this word, so without the lab's dissector it shows such a reply as "Continuation" (frame 13 of the homepage capture).`,
			rfc: 'RFC 2324 §2'
		};
	}
	if (protocol === 'HTCPCP') {
		return {
			meaning: `${v}: an HTCPCP message sent with the HTTP version word`,
			explanation: 'HTCPCP is built on HTTP, and the lab\'s web app writes HTTP/1.1 in its requests to the pot; the coffee URI and the method are what make it HTCPCP. The pot answers with HTCPCP/1.1.',
			rfc: 'RFC 9112 §2.3'
		};
	}
	if (msg.versionMajor === 1 && msg.versionMinor === 0) {
		return {
			meaning: 'HTTP/1.0: the older version, one request per connection unless keep-alive is negotiated',
			explanation: 'In HTTP/1.0 connections close after each response by default, and there is no Host header requirement or chunked coding.',
			rfc: 'RFC 9112 §2.3'
		};
	}
	return {
		meaning: `${v}: the HTTP version of this message`,
		explanation: 'HTTP/1.1 keeps connections open by default (persistent connections, RFC 9112 §9.3), requires Host and can send bodies in chunks. Task 5 asks whether the connection stays open: that depends on the Connection header, not only on the version.',
		rfc: 'RFC 9112 §2.3'
	};
}

function unknownMethod(method: string, protocol: Protocol): Annotation {
	return {
		meaning: `${method}: a method ${protocol} does not define`,
		explanation: protocol === 'HTCPCP' ? 'The lab\'s pot answers 501 Not Implemented to any method other than BREW, POST, GET, PROPFIND and WHEN (the /test-501 check sends MILK).' : 'A server answers 501 to a method it does not know, or 405 to one it knows but not for this resource.',
		rfc: protocol === 'HTCPCP' ? 'RFC 2324 §2.1' : 'RFC 9110 §9.1'
	};
}

function unknownStatus(code: number): Annotation {
	const cls = Math.floor(code / 100);
	const names: Record<number, string> = { 1: 'informational', 2: 'success', 3: 'redirection', 4: 'client error', 5: 'server error' };
	return {
		meaning: `${code}: an unlisted ${names[cls] ?? 'invalid'} code`,
		explanation: 'A client that does not know a code treats it like the x00 code of its class, so an unknown 4xx is handled like 400.',
		rfc: 'RFC 9110 §15'
	};
}

/** Explains every part of one message. */
export function annotateMessage(msg: HttpMessage, context: MessageContext = {}): MessageAnnotation {
	const protocol = messageProtocol(msg, context.request);
	const method = msg.kind === 'request' ? msg.method : context.request?.method;
	const startLine: MessageAnnotation['startLine'] = { version: annotateVersion(msg, protocol) };
	if (msg.kind === 'request' && msg.method !== undefined) {
		startLine.method = annotateMethod(msg.method, protocol) ?? unknownMethod(msg.method, protocol);
		startLine.target = annotateTarget(msg.target ?? '', msg.method, protocol === 'HTCPCP');
	}
	if (msg.kind === 'response' && msg.status !== undefined) {
		startLine.status = annotateStatus(msg.status, protocol) ?? unknownStatus(msg.status);
	}
	const headers = msg.headers.map((h) => ({
		name: h.name,
		value: h.value,
		annotation: annotateHeader(h.name, h.value, { kind: msg.kind, protocol, method, status: msg.status })
	}));
	return { protocol: PROTOCOLS[protocol], startLine, headers, body: annotateBody(msg, { protocol, method }) };
}
