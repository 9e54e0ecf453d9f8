/**
 * Headers HTCPCP adds (RFC 2324 §2.2, RFC 7168 §2.1.1 and §2.2.1) and the
 * lab's own Use-Pot, which neither RFC defines.
 */

import { findAddition, splitAdditions } from '../additions';
import { POTS } from '../constants';
import { header, type HeaderContext, type HeaderEntry } from './types';
import { joinWords } from './values';

function describeAdditions(value: string, ctx: HeaderContext): string {
	const names = splitAdditions(value);
	if (names.length === 0) return 'an empty list: no additions';
	if (ctx.kind === 'response') return `the pot can add ${joinWords(names)}; a request asking for anything else is refused with 406`;
	const offered = names.filter((n) => findAddition(n));
	const missing = names.filter((n) => !findAddition(n));
	const milk = offered.some((n) => findAddition(n)?.kind === 'milk');
	let text = `the client asks for ${joinWords(names)} in the coffee`;
	if (missing.length) text += `; the lab's pot does not offer ${joinWords(missing)}, so it will answer 406 Not Acceptable with the list it does offer`;
	else text += '; the lab\'s pot offers all of these';
	if (milk && !missing.length) text += '. Because a milk is included, the pot pours milk when brewing ends until a WHEN request says stop';
	return text;
}

function describeUsePot(value: string): string {
	const v = value.trim().toLowerCase();
	if (v === POTS.coffee.name) return `use the coffee pot "${POTS.coffee.name}" (${POTS.coffee.designator}), which can brew coffee`;
	if (v === POTS.tea.name) return `use the tea pot (${POTS.tea.designator}); asking it to brew coffee gets 418 I'm a teapot`;
	return `use a pot called "${value.trim()}", which the lab's pot server does not have`;
}

function describeAlternates(value: string): string {
	const uris = [...value.matchAll(/\{\s*"([^"]+)"/g)].map((m) => m[1]);
	if (uris.length === 0) return `alternatives: ${value}`;
	return `the pot offers ${uris.length} choices: ${joinWords(uris)}; the client picks one and sends its BREW to that URI`;
}

export const HTCPCP_HEADERS: readonly HeaderEntry[] = [
	header('Accept-Additions', 'RFC 2324 §2.2.2.1', 'what to add to the coffee: milks, syrups, spirits', 'HTCPCP\'s own request field. RFC 2324 lists milk, syrup and alcohol types (cream, vanilla, whisky, ...); RFC 7168 §2.2.1 adds sweeteners for tea. A pot that cannot comply answers 406 and lists what it has. The lab\'s web app separates additions with semicolons, and its pot also offers plant milks. On a 406 the lab\'s pot repeats the field to list its additions.', describeAdditions),
	header('Safe', 'RFC 2324 §2.2.1.1', 'whether repeating the request is safe ("if-user-awake" in HTCPCP)', 'A response field from an old HTTP proposal saying a request may be repeated. HTCPCP adds the value if-user-awake, because brewing a second pot of coffee is only safe if someone will drink it.', (v) => {
		const t = v.trim().toLowerCase();
		if (t === 'yes') return 'the client may repeat this request freely';
		if (t === 'no') return 'repeating this request would have another effect';
		if (t === 'if-user-awake') return 'repeating the request is safe only if the user is awake to drink the result';
		return `value ${v}`;
	}),
	header('Alternates', 'RFC 7168 §2.1.1', 'the choices a tea pot offers, each with its URI', 'The field comes from transparent content negotiation (RFC 2295). HTCPCP-TEA uses it when a BREW reaches a tea pot without naming a tea: the pot answers 300 Multiple Options and lists the teas, each as {"URI" {type message/teapot}}.', (v) => describeAlternates(v)),
	header('Use-Pot', 'RFC 2324 §3', 'which pot on the server to use (the lab\'s own header)', 'Not defined in RFC 2324 or RFC 7168: the lab invented it. The RFCs choose a pot with a pot designator in the URI path (coffee://ducky/pot-1). The lab\'s web app sends Use-Pot: ducky for the coffee pot or Use-Pot: tea for the tea pot, and coffee requested from the tea pot gets 418.', (v) => describeUsePot(v), { spec: 'the lab\'s own header, in neither RFC 2324 nor RFC 7168' })
];
