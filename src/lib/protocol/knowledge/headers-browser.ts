/**
 * Headers browsers add on their own and the security headers servers send
 * back. Many are defined by W3C or WHATWG documents rather than RFCs; for
 * those `spec` names the real source and `rfc` the RFC rule they rest on
 * (new fields are allowed by RFC 9110 §16.3; structured values by RFC 8941).
 */

import { header, type HeaderContext, type HeaderEntry } from './types';
import { clip, describeSeconds, joinWords, splitList } from './values';

const FETCH_METADATA = 'W3C Fetch Metadata Request Headers';
const FIELD_RULE = 'RFC 9110 §16.3';

const SITE: Readonly<Record<string, string>> = {
	none: 'the user started this request directly (typed the address, a bookmark or reload), not a page',
	'same-origin': 'a page from this same origin (scheme, host and port) caused the request',
	'same-site': 'a page from the same site but another origin caused the request',
	'cross-site': 'a page from a different site caused the request'
};
const MODE: Readonly<Record<string, string>> = {
	navigate: 'the browser is loading a whole page into a tab',
	'no-cors': 'a resource (stylesheet, image, script) embedded by a page, loaded without CORS',
	cors: 'a script\'s fetch subject to CORS checks',
	'same-origin': 'a script\'s fetch restricted to the same origin',
	websocket: 'a WebSocket connection being opened'
};

const DEST: Readonly<Record<string, string>> = {
	document: 'the page shown in the tab',
	iframe: 'a page inside a frame',
	style: 'a stylesheet',
	script: 'a script',
	image: 'an image',
	font: 'a font',
	empty: 'data for a script (fetch or XMLHttpRequest), not part of the page itself',
	manifest: 'the web app manifest',
	worker: 'a web worker script',
	audio: 'audio',
	video: 'video'
};

function csp(value: string): string {
	const directives = value.split(';').map((d) => d.trim()).filter(Boolean);
	const names = directives.map((d) => d.split(/\s+/)[0]);
	const def = directives.find((d) => d.startsWith('default-src'));
	return `${directives.length} rules (${joinWords(names.slice(0, 5))}${names.length > 5 ? ', …' : ''})${def ? `; by default content may come only from ${def.split(/\s+/).slice(1).join(' ')}` : ''}`;
}

function cookieNames(value: string): string[] {
	return value.split(';').map((c) => c.split('=')[0].trim()).filter(Boolean);
}

function describeSetCookie(value: string): string {
	const [pair, ...attrs] = value.split(';').map((p) => p.trim());
	const name = pair.split('=')[0];
	const flags = attrs.map((a) => a.split('=')[0].toLowerCase());
	const notes: string[] = [];
	if (flags.includes('httponly')) notes.push('hidden from page scripts');
	if (flags.includes('secure')) notes.push('sent only over HTTPS');
	const ss = attrs.find((a) => /^samesite=/i.test(a));
	if (ss) notes.push(`SameSite ${ss.split('=')[1]}`);
	const maxAge = attrs.find((a) => /^max-age=/i.test(a));
	if (maxAge) notes.push(`kept ${describeSeconds(Number(maxAge.split('=')[1]))}`);
	return `the browser should store cookie ${name} and send it back on later requests${notes.length ? ` (${joinWords(notes)})` : ''}`;
}

function describeAcao(value: string, ctx: HeaderContext): string {
	void ctx;
	return value.trim() === '*' ? 'scripts on any site may read this response' : `scripts from ${value.trim()} may read this response`;
}

export const BROWSER_HEADERS: readonly HeaderEntry[] = [
	header('Upgrade-Insecure-Requests', FIELD_RULE, 'the browser prefers HTTPS if the site offers it', 'Sent with page loads: a server that also speaks HTTPS may redirect the browser there. The lab\'s web app on plain HTTP just ignores it.', () => 'the browser says it would rather use an encrypted (https) version of this page', { spec: 'W3C Upgrade Insecure Requests' }),
	header('Sec-Fetch-Site', FIELD_RULE, 'how the requesting page relates to this server', 'Part of Fetch Metadata: the browser tells the server whether the request came from the same origin, the same site, another site, or from the user directly. Servers use it to reject forged cross-site requests. Headers starting with Sec- cannot be set by page scripts.', (v) => SITE[v.trim()] ?? `site relation ${v}`, { spec: FETCH_METADATA }),
	header('Sec-Fetch-Mode', FIELD_RULE, 'what kind of fetch this is (page load, embedded resource, script)', 'navigate is a page load, no-cors a stylesheet or image embedded in a page, cors a script\'s request.', (v) => MODE[v.trim()] ?? `fetch mode ${v}`, { spec: FETCH_METADATA }),
	header('Sec-Fetch-Dest', FIELD_RULE, 'where the response will be used', 'document for a page in a tab, style for a stylesheet, image, script, empty for a script\'s fetch, and so on.', (v) => `the response will be used as ${DEST[v.trim()] ?? `a ${v.trim()}`}`, { spec: FETCH_METADATA }),
	header('Sec-Fetch-User', 'RFC 8941 §3.3.6', 'the user triggered this navigation (click or key press)', 'Sent as the structured boolean ?1 only for page loads the user caused, so servers can tell them from automatic ones.', (v) => (v.trim() === '?1' ? 'a user\'s click or key press started this page load (?1 is a structured-field boolean meaning true)' : `value ${v}`), { spec: FETCH_METADATA }),
	header('Sec-Fetch-Storage-Access', FIELD_RULE, 'whether cross-site cookies are available to this request', 'Tells the server about the Storage Access API state.', (v) => `storage access: ${v}`, { spec: FETCH_METADATA }),
	header('Sec-CH-UA', 'RFC 8942 §2', 'the browser\'s brand and major version, as a client hint', 'User-Agent Client Hints replace the long User-Agent string with small structured fields. Chrome-based browsers send this one by default, including a made-up "Not A Brand" entry so servers do not match on exact lists.', (v) => `brands: ${clip(v, 80)}`, { spec: 'WICG User-Agent Client Hints' }),
	header('Sec-CH-UA-Mobile', 'RFC 8942 §2', 'whether the browser is on a phone', '?0 means not a mobile device, ?1 a mobile one (structured booleans).', (v) => (v.trim() === '?1' ? 'the browser is on a mobile device' : 'the browser is not on a mobile device'), { spec: 'WICG User-Agent Client Hints' }),
	header('Sec-CH-UA-Platform', 'RFC 8942 §2', 'the operating system, as a client hint', 'A quoted string such as "macOS", "Windows" or "Linux".', (v) => `the browser runs on ${v.trim().replace(/^"|"$/g, '')}`, { spec: 'WICG User-Agent Client Hints' }),
	header('Accept-CH', 'RFC 8942 §3.1', 'which client hints the server would like on later requests', 'The server opts in to extra Sec-CH-* fields such as the full browser version.', (v) => `the server asks for ${joinWords(splitList(v))}`),
	header('Sec-GPC', FIELD_RULE, 'Global Privacy Control: do not sell or share my data', 'A privacy signal (value 1) some browsers send; in some jurisdictions it carries legal weight.', () => 'the user asks this site not to sell or share their personal data', { spec: 'W3C Global Privacy Control' }),
	header('DNT', FIELD_RULE, 'Do Not Track (1 = do not track me)', 'An older privacy signal; the standard was abandoned and few sites ever honoured it, but some browsers still send it.', (v) => (v.trim() === '1' ? 'the user asks not to be tracked' : v.trim() === '0' ? 'the user consents to tracking' : `value ${v}`), { spec: 'W3C Tracking Preference Expression' }),
	header('Origin', 'RFC 6454 §7', 'the origin (scheme, host, port) that caused the request', 'Sent with cross-origin fetches and with POSTs, without a path, so the server can decide whether to trust the requesting site. CORS decisions start from it.', (v) => (v.trim() === 'null' ? 'the origin is hidden (a sandboxed page or a local file)' : `the request comes from a page at ${v.trim()}`)),
	header('Cookie', 'RFC 6265 §4.2', 'cookies the browser stored for this site', 'The browser sends back, on every request to the site, the name=value pairs that earlier Set-Cookie responses asked it to keep. This is how a stateless protocol remembers a login.', (v) => `the browser returns ${cookieNames(v).length === 1 ? 'cookie' : 'cookies'} ${joinWords(cookieNames(v))}`),
	header('Set-Cookie', 'RFC 6265 §4.1', 'asks the browser to store a cookie', 'Each Set-Cookie sets one name=value pair plus attributes: Path and Domain limit where it is sent back, Max-Age or Expires how long it lives, Secure and HttpOnly protect it, SameSite limits cross-site sending.', (v) => describeSetCookie(v)),
	header('Content-Security-Policy', FIELD_RULE, 'which sources of scripts, styles and images the page may use', 'A page-level allow list the browser enforces: content from elsewhere, or inline script when not allowed, is blocked. It limits the damage if an attacker manages to inject HTML. The lab\'s web app sends one.', (v) => csp(v), { spec: 'W3C Content Security Policy Level 3' }),
	header('Content-Security-Policy-Report-Only', FIELD_RULE, 'a policy that is only reported, not enforced', 'Lets a site test a policy: violations are reported but nothing is blocked.', (v) => csp(v), { spec: 'W3C Content Security Policy Level 3' }),
	header('X-Content-Type-Options', FIELD_RULE, 'do not guess the type: trust Content-Type', 'nosniff stops the browser from second-guessing the declared media type, so a file served as text cannot be run as a script.', (v) => (v.trim().toLowerCase() === 'nosniff' ? 'the browser must use Content-Type as given and never guess another type' : `value ${v}`), { spec: 'WHATWG Fetch Standard' }),
	header('Referrer-Policy', FIELD_RULE, 'how much of this page\'s URL later requests may reveal in Referer', 'Controls what the browser puts in Referer when leaving this page: nothing, only the origin, or the full URL. Query strings can contain private data, so sites limit it.', (v) => {
		const p = v.trim().toLowerCase();
		const text: Record<string, string> = {
			'no-referrer': 'never send a Referer from this page',
			'same-origin': 'send the full URL to this origin only, nothing elsewhere',
			origin: 'send only the origin, never the path or query',
			'strict-origin': 'send only the origin, and nothing from HTTPS to HTTP',
			'strict-origin-when-cross-origin': 'full URL within this origin, only the origin to other sites, nothing from HTTPS to HTTP',
			'no-referrer-when-downgrade': 'send the full URL except from HTTPS to HTTP',
			'origin-when-cross-origin': 'full URL within this origin, only the origin elsewhere',
			'unsafe-url': 'always send the full URL'
		};
		return text[p] ?? `policy ${v}`;
	}, { spec: 'W3C Referrer Policy' }),
	header('Strict-Transport-Security', 'RFC 6797 §6.1', 'use only HTTPS for this host from now on', 'HSTS: once a browser sees it over HTTPS, it rewrites every http:// link to https:// for max-age seconds and refuses to click through certificate warnings. A self-signed lab certificate and HSTS do not mix.', (v) => {
		const m = /max-age\s*=\s*"?(\d+)/i.exec(v);
		return `use HTTPS only${m ? ` for ${describeSeconds(Number(m[1]))}` : ''}${/includesubdomains/i.test(v) ? ', subdomains included' : ''}`;
	}),
	header('X-Frame-Options', 'RFC 7034 §2', 'whether other pages may show this page in a frame', 'DENY or SAMEORIGIN stops other sites from embedding the page invisibly and tricking users into clicks (clickjacking). CSP frame-ancestors is the modern equivalent.', (v) => (v.trim().toUpperCase() === 'DENY' ? 'no page may frame this one' : v.trim().toUpperCase() === 'SAMEORIGIN' ? 'only pages from this origin may frame it' : `value ${v}`)),
	header('X-XSS-Protection', FIELD_RULE, 'an old switch for a browser XSS filter (obsolete)', 'Browsers removed the filter it controlled; modern advice is 0 or omitting it, and to rely on Content-Security-Policy.', (v) => `value ${v}, ignored by current browsers`, { spec: 'non-standard, obsolete' }),
	header('Access-Control-Allow-Origin', FIELD_RULE, 'which other origin\'s scripts may read this response', 'CORS: by default a script may not read responses from another origin. This field relaxes that for one origin or for all (*).', describeAcao, { spec: 'WHATWG Fetch Standard (CORS)' }),
	header('Access-Control-Allow-Methods', FIELD_RULE, 'methods allowed in the cross-origin request (preflight answer)', 'Sent in reply to an OPTIONS preflight.', (v) => `allowed: ${joinWords(splitList(v))}`, { spec: 'WHATWG Fetch Standard (CORS)' }),
	header('Access-Control-Allow-Headers', FIELD_RULE, 'request headers allowed in the cross-origin request', 'Sent in reply to an OPTIONS preflight.', (v) => `allowed: ${joinWords(splitList(v))}`, { spec: 'WHATWG Fetch Standard (CORS)' }),
	header('Access-Control-Allow-Credentials', FIELD_RULE, 'whether the cross-origin request may include cookies', 'true lets a cross-origin script read a response to a request sent with cookies.', (v) => (v.trim() === 'true' ? 'cookies may be included' : `value ${v}`), { spec: 'WHATWG Fetch Standard (CORS)' }),
	header('Access-Control-Expose-Headers', FIELD_RULE, 'response headers a cross-origin script may read', 'Beyond a few safe ones, scripts only see listed headers.', (v) => `readable: ${joinWords(splitList(v))}`, { spec: 'WHATWG Fetch Standard (CORS)' }),
	header('Access-Control-Max-Age', FIELD_RULE, 'how long a preflight answer may be reused', 'Saves repeating the OPTIONS preflight for each request.', (v) => `reuse this preflight answer for ${describeSeconds(Number(v))}`, { spec: 'WHATWG Fetch Standard (CORS)' }),
	header('Access-Control-Request-Method', FIELD_RULE, 'the method a script wants to use (in a preflight)', 'Sent in an OPTIONS preflight to ask whether the real request is allowed.', (v) => `the script wants to send ${v.trim()}`, { spec: 'WHATWG Fetch Standard (CORS)' }),
	header('Access-Control-Request-Headers', FIELD_RULE, 'the headers a script wants to send (in a preflight)', 'Sent in an OPTIONS preflight.', (v) => `the script wants to send ${joinWords(splitList(v))}`, { spec: 'WHATWG Fetch Standard (CORS)' }),
	header('Cross-Origin-Opener-Policy', FIELD_RULE, 'isolate this page from windows of other origins', 'same-origin puts the page in its own browsing context group, a defence against cross-window attacks.', (v) => `policy ${v.trim()}`, { spec: 'WHATWG HTML Standard' }),
	header('Cross-Origin-Embedder-Policy', FIELD_RULE, 'load only resources that agree to be embedded', 'Together with COOP it enables cross-origin isolation.', (v) => `policy ${v.trim()}`, { spec: 'WHATWG HTML Standard' }),
	header('Cross-Origin-Resource-Policy', FIELD_RULE, 'which origins may embed this resource', 'same-origin stops other sites from loading it as an image or script.', (v) => `policy ${v.trim()}`, { spec: 'WHATWG Fetch Standard' }),
	header('Permissions-Policy', 'RFC 8941 §3.2', 'which browser features the page may use', 'Turns off features such as camera or geolocation for this page and its frames; the value is a structured dictionary.', (v) => clip(v, 80), { spec: 'W3C Permissions Policy' }),
	header('Sec-Purpose', FIELD_RULE, 'the request is a prefetch or prerender, not a visit', 'The browser fetches ahead in case the user clicks; servers may skip counting it.', (v) => `purpose: ${v.trim()}`, { spec: 'WHATWG Fetch Standard' }),
	header('Purpose', FIELD_RULE, 'older name for Sec-Purpose (prefetch)', 'Some browsers label speculative loads with Purpose: prefetch.', (v) => `purpose: ${v.trim()}`, { spec: 'non-standard' }),
	header('X-Requested-With', FIELD_RULE, 'the request was made by a script (by convention XMLHttpRequest)', 'A convention of JavaScript libraries, not a standard.', (v) => `set to ${v.trim()}`, { spec: 'de facto convention, no standard' }),
	header('X-Powered-By', FIELD_RULE, 'the framework behind the server', 'Advertises the software stack; often removed because it helps attackers.', (v) => `built with ${v.trim()}`, { spec: 'de facto convention, no standard' }),
	header('Sec-WebSocket-Key', 'RFC 6455 §11.3.1', 'a random nonce for the WebSocket handshake', 'The server proves it understood the WebSocket upgrade by hashing this with a fixed string and returning it in Sec-WebSocket-Accept.', () => 'a random value the server must transform and echo back'),
	header('Sec-WebSocket-Accept', 'RFC 6455 §11.3.3', 'the server\'s proof it accepted the WebSocket handshake', 'Computed from the client\'s key; the browser checks it before switching protocols.', () => 'the server\'s answer to the client\'s key'),
	header('Sec-WebSocket-Version', 'RFC 6455 §11.3.5', 'the WebSocket protocol version (13)', 'Version 13 is the only one in use.', (v) => `version ${v.trim()}`),
	header('Sec-WebSocket-Extensions', 'RFC 6455 §11.3.2', 'WebSocket extensions offered or accepted', 'Most often permessage-deflate compression.', (v) => `extensions: ${clip(v)}`),
	header('Sec-WebSocket-Protocol', 'RFC 6455 §11.3.4', 'the application protocol spoken over the WebSocket', 'The client offers a list; the server picks one.', (v) => `subprotocols: ${joinWords(splitList(v))}`)
];

/** Families matched by prefix when no exact entry exists. */
export const BROWSER_PREFIXES: ReadonlyArray<{ prefix: string; entry: HeaderEntry }> = [
	{ prefix: 'sec-ch-', entry: header('Sec-CH-*', 'RFC 8942 §2', 'a client hint about the browser or device', 'Client hints are small fields a browser adds, some only after the server asks with Accept-CH: full version, architecture, device memory, and so on.', (v) => `hint value ${clip(v)}`, { spec: 'WICG User-Agent Client Hints' }) },
	{ prefix: 'access-control-', entry: header('Access-Control-*', FIELD_RULE, 'part of the CORS protocol for cross-origin requests', 'CORS fields let a server relax the browser\'s same-origin rule for specific origins, methods and headers.', (v) => `value ${clip(v)}`, { spec: 'WHATWG Fetch Standard (CORS)' }) },
	{ prefix: 'sec-fetch-', entry: header('Sec-Fetch-*', FIELD_RULE, 'fetch metadata about how the request came about', 'Fields the browser adds and page scripts cannot change, describing the request\'s context.', (v) => `value ${clip(v)}`, { spec: FETCH_METADATA }) }
];
