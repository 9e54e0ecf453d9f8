/**
 * Headers about the message itself, the connection and routing: framing
 * (RFC 9112 §6), representation metadata (RFC 9110 §8), context fields
 * (RFC 9110 §10) and connection management (RFC 9110 §7, RFC 9112 §9).
 */

import { COFFEE_COMMAND_TYPE, COFFEE_RESPONSE_TYPE, POT_PORT, TEA_COMMAND_TYPE, WEBAPP_PORT, WRONG_TEA_COMMAND_TYPE } from '../constants';
import { header, type HeaderContext, type HeaderEntry } from './types';
import { clip, describeDate, describeSeconds, joinWords, params, plural, splitList } from './values';

function portRole(port: number): string {
	if (port === WEBAPP_PORT) return ' (the lab\'s web app)';
	if (port === POT_PORT) return ' (the lab\'s pot)';
	return '';
}

const MEDIA: Readonly<Record<string, string>> = {
	'text/html': 'an HTML page',
	'text/css': 'a stylesheet',
	'text/plain': 'plain text',
	'text/javascript': 'a script',
	'application/javascript': 'a script',
	'application/json': 'JSON data',
	'application/xml': 'XML data',
	'application/x-www-form-urlencoded': 'form fields encoded like a query string (name=value&...)',
	'multipart/form-data': 'form fields and files in separate parts',
	'image/png': 'a PNG image',
	'image/jpeg': 'a JPEG image',
	'image/gif': 'a GIF image',
	'image/svg+xml': 'an SVG drawing',
	'image/x-icon': 'an icon',
	'image/vnd.microsoft.icon': 'an icon',
	'font/woff2': 'a web font',
	'application/octet-stream': 'raw bytes of unknown kind',
	[COFFEE_COMMAND_TYPE]: 'a coffee command ("start" or "stop"), the type RFC 2324 §2.1.1 names for BREW bodies',
	[COFFEE_RESPONSE_TYPE]: 'a coffee pot\'s message, the type RFC 2324 §4 defines',
	[TEA_COMMAND_TYPE]: 'a tea command, the type RFC 7168 §3 defines for tea-capable pots',
	[WRONG_TEA_COMMAND_TYPE]: 'a made-up type no pot accepts: the lab\'s /test-415 sends it so the pot answers 415'
};

function describeContentType(value: string, ctx: HeaderContext): string {
	const { main, params: p } = params(value);
	const type = main.toLowerCase();
	const what = MEDIA[type] ?? (type.startsWith('image/') ? 'an image' : `data of type ${type}`);
	let text = `the body is ${what}`;
	if (p.charset) text += `, its text encoded as ${p.charset.toUpperCase()}`;
	if (p.boundary) text += `, parts separated by the line --${clip(p.boundary, 30)}`;
	if (ctx.kind === 'request' && ctx.method !== undefined && !['BREW', 'POST', 'PUT', 'PATCH'].includes(ctx.method)) {
		text += `; a ${ctx.method} request normally has no body, so here the type labels nothing (the original lab's web app sent it on every pot request anyway)`;
	}
	return text;
}

function describeContentLength(value: string, ctx: HeaderContext): string {
	const v = value.trim();
	if (!/^\d+$/.test(v)) return `"${v}" is not a valid length, so a receiver must treat the message as broken rather than guess where it ends`;
	const n = Number(v);
	if (ctx.kind === 'response' && ctx.method === 'HEAD') return `a GET would have returned ${plural(n, 'byte')}; this answer to HEAD has no body at all`;
	if (ctx.status === 304) return `the stored copy is ${plural(n, 'byte')} long; a 304 itself carries no body`;
	if (n === 0) return 'there is no body: the message ends at the blank line';
	return `the body is exactly ${plural(n, 'byte')} long: the receiver reads that many bytes after the blank line and then knows the message is complete`;
}

function describeConnection(value: string, ctx: HeaderContext): string {
	const tokens = splitList(value).map((t) => t.toLowerCase());
	const parts: string[] = [];
	for (const t of tokens) {
		if (t === 'keep-alive') parts.push(ctx.kind === 'request' ? 'the client would like to keep this TCP connection open for more requests (HTTP/1.1 does so by default anyway)' : 'the server will keep this TCP connection open for further requests');
		else if (t === 'close') parts.push(ctx.kind === 'response' ? 'the server will close the TCP connection after this response, so the browser\'s next request needs a new connection: a new handshake and a new client port' : 'the client will close the connection after this exchange');
		else if (t === 'upgrade') parts.push('the Upgrade header is meant for this hop only');
		else parts.push(`the ${t} header applies to this hop only and a proxy must drop it`);
	}
	return parts.length ? joinWords(parts) : 'an empty list';
}

function describeHost(value: string): string {
	const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(value.trim());
	if (!m) return `"${value}" does not look like host[:port]; an HTTP/1.1 server answers 400 to that`;
	const port = m[2] ? Number(m[2]) : undefined;
	return port === undefined
		? `the request is for the site named ${m[1]} on the default port`
		: `the request is for ${m[1]} port ${port}${portRole(port)}; one server can host many sites, and this field says which one is meant`;
}

function describeUserAgent(value: string): string {
	const v = value;
	const os = /iPhone|iPad/.test(v) ? 'iOS' : /Android/.test(v) ? 'Android' : /Macintosh|Mac OS X/.test(v) ? 'macOS' : /Windows/.test(v) ? 'Windows' : /Linux|X11/.test(v) ? 'Linux' : undefined;
	const on = os ? ` on ${os}` : '';
	let m: RegExpExecArray | null;
	if ((m = /Firefox\/([\d.]+)/.exec(v))) return `Firefox ${m[1]}${on}`;
	if ((m = /Edg\/([\d.]+)/.exec(v))) return `Microsoft Edge ${m[1]}${on}`;
	if ((m = /HeadlessChrome\/([\d.]+)/.exec(v))) return `headless Chrome ${m[1]}${on} (an automated browser)`;
	if ((m = /Chrome\/([\d.]+)/.exec(v))) return `Chrome or Chromium ${m[1]}${on}`;
	if ((m = /Version\/([\d.]+).*Safari\//.exec(v))) return `Safari ${m[1]}${on}; the "Mozilla/5.0" and "like Gecko" words are historical camouflage every browser still sends`;
	if ((m = /^curl\/([\d.]+)/.exec(v))) return `the curl command-line tool, version ${m[1]}`;
	if ((m = /^python-requests\/([\d.]+)/.exec(v))) return `the Python requests library, version ${m[1]}`;
	return `the client calls itself "${clip(v)}"`;
}

function describeServer(value: string): string {
	const v = value.trim();
	const w = /^Werkzeug\/([\d.]+) Python\/([\d.]+)/.exec(v);
	if (w) return `the original Flask web app, served by Werkzeug ${w[1]} on Python ${w[2]}`;
	if (/^CoffeePot/i.test(v)) return 'the lab\'s coffee pot server';
	return `the server calls itself "${clip(v)}"`;
}

function describeLocation(value: string, ctx: HeaderContext): string {
	const v = value.trim();
	const where = v.startsWith('/') ? `the path ${v} on the same server` : v;
	if (ctx.status === 201) return `the new resource is at ${where}`;
	if (ctx.status === 302 || ctx.status === 303) return `go to ${where}: the browser follows at once with a GET there${v === '/' ? ', which is the home page, so the user sees the pot\'s new state' : ''}`;
	if (ctx.status === 301 || ctx.status === 308) return `the resource now lives at ${where} for good`;
	if (ctx.status === 307) return `repeat this same request at ${where}`;
	return `points to ${where}`;
}

function describeRetryAfter(value: string, ctx: HeaderContext): string {
	const v = value.trim();
	if (/^\d+$/.test(v)) {
		const n = Number(v);
		if (ctx.protocol === 'HTCPCP' && ctx.status === 409) return `the brew in progress needs about ${describeSeconds(n)} more; a BREW sent after that should be accepted`;
		if (ctx.status === 503) return `the server expects to be back in ${describeSeconds(n)}`;
		return `try again in ${describeSeconds(n)}`;
	}
	return `try again after ${describeDate(v)}`;
}

function describeAllow(value: string, ctx: HeaderContext): string {
	const methods = splitList(value);
	if (methods.length === 0) return 'the resource allows no methods at all right now';
	const base = `this resource accepts only ${joinWords(methods)}`;
	return ctx.status === 405 ? `${base}, which is why the request was refused` : base;
}

function describeTransferEncoding(value: string): string {
	const codings = splitList(value).map((c) => c.toLowerCase());
	const last = codings[codings.length - 1];
	const before = codings.slice(0, -1);
	const pre = before.length ? `the body was ${joinWords(before)}-coded, then ` : 'the body is ';
	if (last === 'chunked') return `${pre}sent in chunks, each preceded by its size in hexadecimal and ended by a chunk of size 0; the sender did not need to know the total length in advance`;
	return `${pre}${last}-coded, and since chunked is not last the body ends only when the connection closes`;
}

export const MESSAGE_HEADERS: readonly HeaderEntry[] = [
	header('Host', 'RFC 9110 §7.2', 'which host (and port) the request is for', 'Several web sites can share one IP address and port, so an HTTP/1.1 request must name the host it wants; a server answers 400 if Host is missing. It is how one address serves many sites. HTCPCP requests carry the host inside the coffee URI instead (coffee://ducky).', (v) => describeHost(v)),
	header('User-Agent', 'RFC 9110 §10.1.5', 'the client software making the request', 'Identifies the program and version that sent the request. Servers use it for statistics and to work around client bugs. Browser user agents are long and full of historical tokens such as Mozilla/5.0 that no longer mean what they say.', (v) => `sent by ${describeUserAgent(v)}`),
	header('Server', 'RFC 9110 §10.2.4', 'the software that produced the response', 'The response\'s counterpart of User-Agent. It helps debugging, but also tells attackers what to target, so many sites shorten it. The lab\'s pot announces itself as CoffeePot.', (v) => `answered by ${describeServer(v)}`),
	header('Date', 'RFC 9110 §6.6.1', 'when the message was created', 'The sender\'s clock at the moment the message was made, always in GMT in the fixed form "Tue, 27 Jun 2023 09:39:59 GMT". Caches use it with Age and Expires to work out how old a response is.', (v) => `created ${describeDate(v)}`),
	header('Content-Type', 'RFC 9110 §8.3', 'what kind of data the body is (its media type)', 'The receiver uses the media type to decide what to do with the body: render HTML, apply CSS, parse JSON. A charset parameter says how text is encoded. In HTCPCP, BREW requests carry application/coffee-pot-command (RFC 2324 §2.1.1) and the pot answers message/coffeepot (RFC 2324 §4); the lab\'s pot refuses other request types with 415. (RFC 2324 §4 also says message/coffeepot for requests, an inconsistency noted in the RFC errata; the lab follows §2.1.1.)', describeContentType),
	header('Content-Length', 'RFC 9110 §8.6', 'how many bytes the body has', 'TCP delivers a stream of bytes with no message boundaries, so the receiver needs to know where the body ends. Content-Length gives the exact count (RFC 9112 §6.2); without it and without chunked coding, a response body runs until the connection closes, which is how the original pot\'s replies ended.', describeContentLength),
	header('Content-Encoding', 'RFC 9110 §8.4', 'how the body was compressed', 'A coding such as gzip or br applied to the body; the receiver must undo it before using the data. The client announces what it can undo with Accept-Encoding.', (v) => `the body is ${joinWords(splitList(v))}-compressed; the receiver decompresses it before use`),
	header('Content-Language', 'RFC 9110 §8.5', 'the natural language of the body\'s intended audience', 'Language tags such as en or en-GB say which readers the content is written for. It is the answer to Accept-Language.', (v) => `the content is written for ${joinWords(splitList(v))} readers`),
	header('Content-Location', 'RFC 9110 §8.7', 'a URL for the specific representation in the body', 'When a resource has several variants, this names the URL of the one sent.', (v) => `this exact representation is also available at ${v}`),
	header('Content-Disposition', 'RFC 6266 §4', 'show the body in place, or offer it as a download, and under which file name', 'Originally from e-mail. inline means the browser may display the body; attachment makes it a download. The filename parameter suggests a name for saving. Flask adds it when it serves a static file.', (v) => {
		const { main, params: p } = params(v);
		const how = main.toLowerCase() === 'attachment' ? 'offer the body as a download' : 'show the body in the browser';
		return p.filename ? `${how}; if saved, name it ${p.filename}` : how;
	}),
	header('Transfer-Encoding', 'RFC 9112 §6.1', 'how the body is framed on this hop (usually chunked)', 'Chunked coding lets a sender start a body before knowing its length: each chunk has a hexadecimal size line and a zero-size chunk ends the body (RFC 9112 §7.1). A message must not use it together with Content-Length. Requests to the lab\'s servers may use it too.', (v) => describeTransferEncoding(v)),
	header('Connection', 'RFC 9110 §7.6.1', 'options for this connection only, such as keep-alive or close', 'HTTP/1.1 keeps connections open by default so several requests can reuse one TCP connection (RFC 9112 §9.3). close says the sender will end the connection after this message. The field also lists other headers that apply only to this hop. The original lab\'s web app always answered close, which is why task 5 finds the browser opening a new connection per request.', describeConnection),
	header('Keep-Alive', 'RFC 2068 §19.7.1.1', 'how long and for how many requests an idle connection may stay open', 'A leftover from HTTP/1.0 persistent connections, still sent by some servers: timeout is how many seconds an idle connection is kept, max how many more requests it will serve. HTTP/1.1 no longer needs it.', (v) => {
		const p = params(`x;${v.replace(/,/g, ';')}`).params;
		const bits: string[] = [];
		if (p.timeout) bits.push(`an idle connection is kept about ${plural(Number(p.timeout), 'second')}`);
		if (p.max) bits.push(`it serves at most ${p.max} more requests`);
		return bits.length ? joinWords(bits) : `parameters ${v}`;
	}),
	header('TE', 'RFC 9110 §10.1.4', 'transfer codings the client accepts in the response', 'Mostly sent as TE: trailers, saying the client can handle fields that arrive after a chunked body. It is hop-by-hop, so it must also be listed in Connection.', (v) => (splitList(v).map((s) => s.toLowerCase()).includes('trailers') ? 'the client can read trailer fields sent after a chunked body' : `the client accepts ${joinWords(splitList(v))}`)),
	header('Trailer', 'RFC 9110 §6.6.2', 'which fields will arrive after the body', 'With chunked coding some fields (a checksum, a final status) are only known after the body is sent. Trailer announces their names up front.', (v) => `expect ${joinWords(splitList(v))} after the last chunk`),
	header('Upgrade', 'RFC 9110 §7.8', 'switch this connection to another protocol', 'A client offers a protocol such as websocket; a server that agrees answers 101 and both sides switch after the blank line. A server can also send it with 426 to demand a switch. The tutor\'s terminal relay uses exactly this for its WebSocket.', (v) => `${joinWords(splitList(v))} is offered or required on this connection`),
	header('Via', 'RFC 9110 §7.6.3', 'proxies the message passed through', 'Each proxy adds its protocol version and name, so the path of a message can be traced and loops detected.', (v) => `the message passed through ${plural(splitList(v).length, 'intermediary', 'intermediaries')}: ${clip(v)}`),
	header('Forwarded', 'RFC 7239 §4', 'who the original client was, as seen by a proxy', 'A proxy hides the client\'s address from the server; Forwarded carries it (for=), the proxy (by=), the original host and the scheme (proto=).', (v) => `proxy information: ${clip(v)}`),
	header('X-Forwarded-For', 'RFC 7239 §4', 'the client address chain, added by proxies (older, unofficial form)', 'A de facto header proxies append the client\'s IP address to. It was never standardised; Forwarded (RFC 7239) is the standard replacement. Anyone can forge it, so servers trust it only from their own proxies.', (v) => `the original client was ${splitList(v)[0] ?? v}`, { spec: 'de facto convention, no standard' }),
	header('Location', 'RFC 9110 §10.2.2', 'where to go next (redirects) or where the new resource is (201)', 'With a 3xx status the browser follows Location automatically. The lab\'s web app answers each successful command link with 302 and Location: /, so the user lands back on the home page, and pressing reload does not repeat the command.', describeLocation),
	header('Allow', 'RFC 9110 §10.2.1', 'the methods this resource supports', 'Required on a 405 response so the client knows what it may use instead; it may also appear on other responses, such as to OPTIONS.', describeAllow),
	header('Retry-After', 'RFC 9110 §10.2.3', 'how long to wait before trying again', 'Either a number of seconds or a date. Servers send it with 503 (down for a while), 429 (slow down) or 3xx. The lab\'s pot sends it with 409 when it is busy: the seconds the current brew still needs.', describeRetryAfter),
	header('Expect', 'RFC 9110 §10.1.1', 'a behaviour the client expects, in practice only 100-continue', 'Expect: 100-continue asks the server to confirm with a 100 response before the client sends a large body.', () => 'the client waits for 100 Continue before sending its body'),
	header('Max-Forwards', 'RFC 9110 §7.6.2', 'how many more proxies may forward a TRACE or OPTIONS', 'Each proxy decrements it; at zero the proxy answers itself. It is used to probe a chain of proxies.', (v) => `at most ${v} more forwards`),
	header('From', 'RFC 9110 §10.1.2', 'an e-mail address for the human or robot behind the client', 'Polite crawlers send it so a site owner can reach them.', (v) => `contact: ${v}`),
	header('Referer', 'RFC 9110 §10.1.3', 'the page that led to this request', 'When a page loads a stylesheet or the user clicks a link, the browser names the page it came from (the misspelling is historical). Referrer-Policy limits how much of that URL is sent.', (v) => `the request was caused by ${v}${/\.css$|\.js$|\.png$|\.ico$/.test(v) ? '' : ', for example a stylesheet or image link in that page'}`),
	header('Alt-Svc', 'RFC 7838 §3', 'the same site is also available over another protocol or port', 'A server advertises, for example, HTTP/3 on UDP port 443 (h3=":443"); the browser may switch for later requests.', (v) => (v.trim() === 'clear' ? 'forget any alternative services advertised before' : `alternatives offered: ${clip(v)}`)),
	header('Link', 'RFC 8288 §3', 'typed links to related resources, in a header', 'The header form of an HTML <link>: rel=preload asks the browser to fetch a file early, rel=next points to the next page, and so on.', (v) => `${plural(splitList(v).length, 'link')}: ${clip(v)}`),
	header('Priority', 'RFC 9218 §5', 'how urgent this response is to the client', 'u is the urgency from 0 (most) to 7 (least), default 3; i means the response can be used incrementally, as it arrives. Servers may use it to order responses.', (v) => {
		const u = /u=(\d)/.exec(v);
		const inc = /(^|,)\s*i(\s*=\s*\?1)?\s*(,|$)/.test(v);
		return `urgency ${u ? u[1] : '3 (the default)'} on a scale where 0 is most urgent${inc ? ', usable incrementally as it arrives' : ''}`;
	})
];
