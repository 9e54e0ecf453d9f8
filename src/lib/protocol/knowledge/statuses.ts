/**
 * Status codes. HTTP's meanings come from RFC 9110 §15; HTCPCP reuses them
 * (RFC 2324 §2.3) and gives a few a coffee-specific reading, listed in
 * `HTCPCP` below. A code HTCPCP does not reinterpret means what it means in HTTP.
 */

import type { Protocol } from '../message';
import type { Annotation } from './types';

function s(meaning: string, rfc: string, explanation: string): Annotation {
	return { meaning, rfc, explanation };
}

const HTTP: Readonly<Record<number, Annotation>> = {
	100: s('go on and send the body', 'RFC 9110 §15.2.1', 'An interim answer: the server has read the head and is willing to receive the body. A client that sent Expect: 100-continue waits for it before uploading something large. The final status follows later on the same connection.'),
	101: s('switching to the protocol named in Upgrade', 'RFC 9110 §15.2.2', 'The server agrees to the client\'s Upgrade request; after the blank line the connection speaks the new protocol, for example WebSocket.'),
	200: s('success: the body is the answer', 'RFC 9110 §15.3.1', 'The request worked. For a GET the body is the page or file asked for; in the homepage capture the web app answers the browser\'s GET /?method=get with 200 and the HTML page.'),
	201: s('created: a new resource exists now', 'RFC 9110 §15.3.2', 'The request made a new resource, usually named by a Location header.'),
	204: s('success, and there is deliberately no body', 'RFC 9110 §15.3.5', 'The request worked and the server has nothing to send back. A 204 never has a body, so the message ends right after the blank line.'),
	206: s('here is the part of the resource you asked for', 'RFC 9110 §15.3.7', 'The answer to a Range request: only the listed byte range is in the body, described by Content-Range.'),
	300: s('Multiple Choices: several representations, pick one', 'RFC 9110 §15.4.1', 'The resource exists in more than one form and the server wants the client to choose. Browsers rarely see it; HTCPCP-TEA reuses the code for a pot offering several teas.'),
	301: s('moved permanently to the URL in Location', 'RFC 9110 §15.4.2', 'The resource has a new permanent address. Browsers follow Location and may remember the move; bookmarks and search engines should update.'),
	302: s('found elsewhere for now: follow Location', 'RFC 9110 §15.4.3', 'A temporary redirect. The lab\'s web app answers every successful brew action (a link like /?method=brew&message=start) with 302 and Location: /, so the browser immediately GETs the home page. Reloading then shows the page instead of repeating the command.'),
	303: s('see the other URL in Location, with GET', 'RFC 9110 §15.4.4', 'Sends the client to another resource for the result, always fetched with GET. It is the textbook answer after a form POST.'),
	304: s('not modified: use your cached copy', 'RFC 9110 §15.4.5', 'The browser asked conditionally (If-None-Match with an ETag, or If-Modified-Since with a date) and the file has not changed, so the server sends no body and the browser reuses what it stored. In the lab the stylesheet and images come back as 304 on a reload.'),
	307: s('temporary redirect that keeps the method', 'RFC 9110 §15.4.8', 'Like 302, but the client must repeat the same method and body at the new URL instead of switching to GET.'),
	308: s('permanent redirect that keeps the method', 'RFC 9110 §15.4.9', 'Like 301, but the method and body must not change when following Location.'),
	400: s('bad request: the server could not make sense of it', 'RFC 9110 §15.5.1', 'The request was malformed: broken syntax, an impossible header, a bad framing. In the lab the pot answers 400 for a URI whose scheme is not a coffee scheme (caffeine://) or that lacks the scheme://host form; /test-400 on the web app triggers it on purpose.'),
	401: s('authentication required', 'RFC 9110 §15.5.2', 'The request lacks valid credentials. The response carries WWW-Authenticate saying how to authenticate; the client retries with Authorization.'),
	403: s('forbidden: understood, but refused', 'RFC 9110 §15.5.4', 'The server knows what is asked and will not do it; sending credentials would not help.'),
	404: s('not found: nothing at this target', 'RFC 9110 §15.5.5', 'The server has no resource for this target. The web app answers 404 for an unknown page; the pot answers 404 when the coffee URI names a host that is not this pot (coffee://psyduck instead of coffee://ducky).'),
	405: s('this method is not allowed on this resource', 'RFC 9110 §15.5.6', 'The resource exists but does not accept this method. The response must list the allowed methods in an Allow header. The web app sends it for, say, a DELETE of its home page.'),
	406: s('cannot produce anything acceptable to you', 'RFC 9110 §15.5.7', 'In HTTP: nothing matches the Accept headers the client sent. HTCPCP reuses it for additions the pot cannot provide.'),
	408: s('request timeout: you took too long', 'RFC 9110 §15.5.9', 'The server gave up waiting for the rest of the request and closes the connection. The lab\'s servers send it when a client opens a connection and then stalls.'),
	409: s('conflict with the current state of the resource', 'RFC 9110 §15.5.10', 'The request cannot be done right now because of the resource\'s state; the client may fix the conflict and retry.'),
	410: s('gone for good', 'RFC 9110 §15.5.11', 'The resource existed and has been removed permanently.'),
	411: s('Content-Length required', 'RFC 9110 §15.5.12', 'The server refuses a body whose length is not declared.'),
	412: s('a precondition in the request failed', 'RFC 9110 §15.5.13', 'An If-Match or If-Unmodified-Since condition was false, so the change was not made.'),
	413: s('content too large', 'RFC 9110 §15.5.14', 'The body is bigger than the server is willing to read. The lab\'s servers cap bodies and answer 413 rather than buffer without limit.'),
	414: s('the URI is too long', 'RFC 9110 §15.5.15', 'The request target is longer than the server will accept.'),
	415: s('unsupported media type', 'RFC 9110 §15.5.16', 'The body\'s Content-Type is one the resource does not accept. The lab\'s pot wants application/coffee-pot-command; /test-415 sends application/tea-pot-command to provoke this.'),
	416: s('the requested range is not satisfiable', 'RFC 9110 §15.5.17', 'A Range request asked for bytes outside the resource.'),
	417: s('the Expect header cannot be met', 'RFC 9110 §15.5.18', 'The server will not honour the Expect header the client sent.'),
	418: s('reserved in HTTP: I\'m a teapot', 'RFC 9110 §15.5.19', 'HTTP itself does not use 418: RFC 9110 marks it unused and reserved, because so much software already answers it as a joke from HTCPCP. In HTCPCP it means a teapot was asked to brew coffee.'),
	421: s('misdirected: this server cannot answer for that host', 'RFC 9110 §15.5.20', 'The request reached a server that is not configured for the host it names, typically over a reused connection.'),
	422: s('well-formed, but the content makes no sense', 'RFC 9110 §15.5.21', 'The syntax is fine but the instructions in the body cannot be processed.'),
	426: s('upgrade required: switch protocols first', 'RFC 9110 §15.5.22', 'The server refuses to answer over the current protocol and names the one it wants in an Upgrade header.'),
	428: s('the request must be conditional', 'RFC 6585 §3', 'The server wants an If-Match (or similar) so clients cannot overwrite each other\'s changes.'),
	429: s('too many requests: slow down', 'RFC 6585 §4', 'The client sent too much in a short time; Retry-After may say when to try again.'),
	431: s('request header fields too large', 'RFC 6585 §5', 'The request\'s head (one field, or all of them together) is bigger than the server accepts. The lab\'s servers cap the head at a fixed size and answer 431 instead of reading forever.'),
	500: s('internal server error', 'RFC 9110 §15.6.1', 'Something went wrong inside the server while handling an otherwise fine request. The web app answers 500 when it fails unexpectedly.'),
	501: s('not implemented: unknown method', 'RFC 9110 §15.6.2', 'The server does not support the functionality asked for, typically a method it has never heard of. The lab\'s pot answers 501 to any method other than BREW, POST, GET, PROPFIND and WHEN (try MILK, or /test-501 on the web app).'),
	502: s('bad gateway: the server behind me answered badly', 'RFC 9110 §15.6.3', 'The server acts as a gateway and could not get a usable answer from the server behind it. The web app is the gateway to the pot: it answers 502 when the pot is not running (the connection is refused) or replies with something the web app cannot use.'),
	503: s('service unavailable for now', 'RFC 9110 §15.6.4', 'The server cannot handle the request at the moment, because it is overloaded or down for maintenance; Retry-After may say when to come back. HTCPCP-TEA also lets a tea-capable pot answer 503 when it has no coffee for now.'),
	504: s('gateway timeout: the server behind me did not answer in time', 'RFC 9110 §15.6.5', 'A gateway waited for the server behind it and gave up. The web app answers 504 when the pot accepts the connection but does not reply within the web app\'s timeout.'),
	505: s('HTTP version not supported', 'RFC 9110 §15.6.6', 'The server will not speak the major version given in the request line.')
};

/** HTCPCP's own readings of codes (RFC 2324 §2.3, RFC 7168 §2.3, and the lab's pot). */
const HTCPCP: Readonly<Record<number, Annotation>> = {
	200: s('the pot did it', 'RFC 2324 §2.3', 'HTCPCP uses the ordinary HTTP success code. The body is message/coffeepot: for BREW a confirmation, for GET the state of the pot ({} when idle), for PROPFIND the beans. In the homepage capture frame 13 is this answer, which Wireshark calls "Continuation" because it does not know the HTCPCP/1.1 version word.'),
	300: s('Multiple Options: choose a tea first', 'RFC 7168 §2.3.1', 'HTCPCP-TEA recommends 300 when a tea pot is asked to brew without saying which tea: brewing has not started, and the Alternates header lists the varieties the client may pick, each as a URI.'),
	400: s('bad request: not a coffee URI the pot can use', 'RFC 9110 §15.5.1', 'The request target is not a coffee URI: the scheme is not one of the coffee schemes of RFC 2324 §3 (caffeine:// is the lab\'s example), or the scheme://host form is missing, or the message is malformed.'),
	404: s('no such pot on this server', 'RFC 9110 §15.5.5', 'The coffee URI names a host this pot is not (coffee://psyduck instead of coffee://ducky), or a pot designator that does not exist.'),
	406: s('the pot cannot provide these additions', 'RFC 2324 §2.3.1', 'HTCPCP reuses 406 for an Accept-Additions list the pot cannot honour. The body should list the additions it does offer, and the lab\'s pot sends that list (also in an Accept-Additions header). The original lab also used 406 "Pot is busy" for a second BREW while brewing.'),
	409: s('the pot is busy brewing', 'RFC 9110 §15.5.10', 'The lab\'s pot refuses a second BREW while one is in progress: it conflicts with the pot\'s current state. Retry-After says how many seconds the current brew still needs. (The original lab answered 406 "Pot is busy" here; neither RFC names a code for it.)'),
	415: s('wrong body type for a coffee command', 'RFC 9110 §15.5.16', 'A BREW must carry Content-Type application/coffee-pot-command (RFC 2324 §2.1.1), or message/teapot for tea. Anything else, like the application/tea-pot-command sent by /test-415, is refused.'),
	418: s('I\'m a teapot: this pot cannot brew coffee', 'RFC 2324 §2.3.2', 'The famous one: a teapot was asked to brew coffee. RFC 7168 §2.3.3 adds that a tea pot that only lacks coffee for now may answer 503 instead, keeping 418 for a permanent "I am a teapot". In the lab, choosing the tea pot (Use-Pot: tea) and brewing coffee gives 418.'),
	501: s('the pot does not know this method', 'RFC 9110 §15.6.2', 'HTCPCP defines BREW, POST, GET, PROPFIND and WHEN (RFC 2324 §2.1). The lab\'s pot answers 501 to anything else, such as MILK.'),
	503: s('coffee is temporarily unavailable', 'RFC 7168 §2.3.3', 'HTCPCP-TEA allows a tea-capable pot with no coffee available for now to answer 503 rather than 418; in plain HTTP terms the service is down for the moment.')
};

/**
 * What a status code means. With `protocol` HTCPCP, the coffee reading is
 * preferred where one exists; otherwise the HTTP meaning applies to both.
 */
export function annotateStatus(code: number, protocol: Protocol = 'HTTP'): Annotation | undefined {
	if (protocol === 'HTCPCP' && Object.hasOwn(HTCPCP, code)) return HTCPCP[code];
	return Object.hasOwn(HTTP, code) ? HTTP[code] : undefined;
}

/** Every code with an annotation, ascending. */
export function knownStatusCodes(): number[] {
	return Object.keys(HTTP)
		.map(Number)
		.sort((a, b) => a - b);
}
