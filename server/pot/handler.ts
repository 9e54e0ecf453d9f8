/**
 * The pot's request handler: one parsed request plus the pot state in, one
 * response description out. No sockets here, so every status code can be
 * tested by calling `handleRequest` directly.
 *
 * Checks run in this order (the first failing one answers):
 *  501 unknown method (RFC 2324 section 2.1 lists the methods)
 *  400 target is not a coffee URI (RFC 2324 section 3) or has no //host
 *  404 host is not ducky
 *  415 Content-Type other than application/coffee-pot-command or message/teapot
 *      (RFC 2324 section 4, RFC 7168 section 4); BREW/POST must send one
 *  404 unknown pot (Use-Pot header or pot designator in the path, RFC 2324 section 3)
 *  400 BREW/POST body other than start/stop (RFC 2324 section 2.1.1)
 *  418 coffee asked of the tea pot (RFC 2324 section 2.3.2, RFC 7168 section 2.3.1)
 *  300 tea without a variety (RFC 7168 section 2.1.1, with Alternates)
 *  406 an addition the pot does not offer (RFC 2324 sections 2.2.2.1 and 2.3.1)
 *  409 BREW start while a brew is in progress (with Retry-After)
 */

import {
	ADDITIONS,
	COFFEE_COMMAND_TYPE,
	COFFEE_SCHEMES,
	COMMAND_METHODS,
	HTCPCP_METHODS,
	MAX_BODY_BYTES,
	POT_HOST,
	TEA_COMMAND_TYPE,
	TEA_VARIETIES,
	findAddition,
	getHeader,
	getHeaders,
	mediaType,
	parseCoffeeUri,
	splitAdditions,
	text,
	type Header,
	type HttpMessage
} from '../../src/lib/protocol/index';
import { TEA_LEAVES } from './beans';
import type { HistoryRecord } from './history';
import type { Brew, PotName, PotState } from './state';

export interface PotReply {
	status: number;
	/** Headers besides the ones every response carries (Server, Date, Content-Type, Content-Length). */
	headers: Header[];
	body: string;
}

export interface HandlerContext {
	pot: PotState;
	/** Brew history, newest first (GET coffee://ducky/history). */
	history: () => HistoryRecord[];
}

const METHOD_LIST = HTCPCP_METHODS.join(', ');
export const ACCEPTABLE_ADDITIONS = ADDITIONS.map((a) => a.name).join(', ');
const SCHEME_EXAMPLES = COFFEE_SCHEMES.filter((s) => /^[a-z]+$/.test(s.encoded))
	.slice(0, 6)
	.map((s) => s.encoded)
	.join(', ');

/** Names a pot may go by: its name and its designator (pot-0, pot-1). */
const POT_NAMES: Readonly<Record<string, PotName>> = Object.freeze({
	ducky: 'ducky',
	'pot-0': 'ducky',
	tea: 'tea',
	'pot-1': 'tea'
});

function reply(status: number, body: string, headers: Header[] = []): PotReply {
	return { status, headers, body };
}

/** GET coffee://ducky/history shows at most this many brews, newest first. */
export const HISTORY_SHOWN = 100;

/** The newest brews as a JSON array, kept well under the 64 KiB body limit clients parse with. */
function historyReply(records: readonly HistoryRecord[]): PotReply {
	let shown = records.slice(0, HISTORY_SHOWN);
	let body = JSON.stringify(shown);
	while (body.length > MAX_BODY_BYTES / 2 && shown.length > 1) {
		shown = shown.slice(0, Math.ceil(shown.length / 2));
		body = JSON.stringify(shown);
	}
	return reply(200, body);
}

function json(value: unknown): PotReply {
	return reply(200, JSON.stringify(value));
}

/** Human text for a brew: `coffee with cream, vanilla` or `darjeeling tea`. */
export function describeBrew(brew: Pick<Brew, 'beverage' | 'variety' | 'additions'>): string {
	const drink = brew.beverage === 'tea' ? `${brew.variety ?? ''} tea`.trim() : 'coffee';
	return brew.additions.length > 0 ? `${drink} with ${brew.additions.join(', ')}` : drink;
}

function unknownPot(name: string): PotReply {
	return reply(404, `There is no pot "${name}" here.\nPots: ducky (pot-0, coffee) and tea (pot-1, tea), chosen by Use-Pot or coffee://ducky/pot-1`);
}

export function handleRequest(req: HttpMessage, ctx: HandlerContext): PotReply {
	const method = req.method ?? '';
	if (!(HTCPCP_METHODS as readonly string[]).includes(method)) {
		return reply(501, `Method ${method} is not implemented by this pot.\nImplemented methods: ${METHOD_LIST}`);
	}

	const parsed = parseCoffeeUri(req.target ?? '');
	if (!parsed.ok) {
		const what =
			parsed.reason === 'scheme'
				? `Scheme "${parsed.rawScheme}" is not a coffee scheme (RFC 2324 section 3).`
				: `The request target is not a coffee URI: ${parsed.message}.`;
		return reply(400, `${what}\nAccepted schemes include ${SCHEME_EXAMPLES} and the other RFC 2324 names, e.g. coffee://ducky`);
	}
	const uri = parsed.uri;
	if (uri.host === '') {
		return reply(400, `The URI "${req.target}" has no //host part.\nWrite it as ${uri.rawScheme}://${POT_HOST}`);
	}
	if (uri.host !== POT_HOST) {
		return reply(404, `There is no pot server "${uri.host}" here.\nThis pot server is ${POT_HOST}: coffee://${POT_HOST}`);
	}

	const isCommand = COMMAND_METHODS.has(method);
	const type = mediaType(getHeader(req.headers, 'content-type'));
	if (type !== undefined && type !== COFFEE_COMMAND_TYPE && type !== TEA_COMMAND_TYPE) {
		return reply(
			415,
			`Content-Type "${type}" is not accepted.\nSend ${COFFEE_COMMAND_TYPE} to the coffee pot or ${TEA_COMMAND_TYPE} to the tea pot.`
		);
	}
	if (isCommand && type === undefined) {
		return reply(415, `A ${method} needs a Content-Type.\nSend ${COFFEE_COMMAND_TYPE} to the coffee pot or ${TEA_COMMAND_TYPE} to the tea pot.`);
	}

	// Pot selection: the lab's Use-Pot header, or a pot designator as the first path segment.
	const usePotRaw = getHeader(req.headers, 'use-pot');
	const usePot = usePotRaw?.trim().toLowerCase();
	if (method === 'GET' && usePot === undefined && uri.path.length === 1 && uri.path[0].toLowerCase() === 'history') {
		return historyReply(ctx.history());
	}
	let fromHeader: PotName | undefined;
	if (usePot !== undefined) {
		fromHeader = POT_NAMES[usePot];
		if (!fromHeader) return unknownPot(usePotRaw ?? '');
	}
	let rest = uri.path;
	const fromPath = rest.length > 0 ? POT_NAMES[rest[0].toLowerCase()] : undefined;
	if (fromPath) rest = rest.slice(1);
	if (fromHeader && fromPath && fromHeader !== fromPath) {
		return reply(400, `Use-Pot names ${fromHeader} but the URI names ${fromPath}.\nName the pot once, or name the same pot in both.`);
	}
	const pot: PotName = fromPath ?? fromHeader ?? 'ducky';
	let variety: string | undefined;
	if (pot === 'ducky' && rest.length > 0) return unknownPot(rest.join('/'));
	if (pot === 'tea' && rest.length > 0) {
		variety = rest.join('/').toLowerCase();
		if (rest.length > 1 || !(TEA_VARIETIES as readonly string[]).includes(variety)) {
			return reply(404, `The tea pot has no "${rest.join('/')}".\nVarieties: ${TEA_VARIETIES.join(', ')}, e.g. coffee://ducky/pot-1/darjeeling`);
		}
	}

	let command: 'start' | 'stop' | undefined;
	if (isCommand) {
		const body = text(req.body).trim().toLowerCase();
		if (body !== 'start' && body !== 'stop') {
			const shown = text(req.body).trim().slice(0, 40);
			return reply(400, `The body "${shown}" is not a pot command.\nThe body of ${method} is start or stop.`);
		}
		command = body;
		if (pot === 'tea' && type === COFFEE_COMMAND_TYPE) {
			// RFC 2324 section 2.3.2 and RFC 7168 section 2.3.1: a teapot asked for coffee.
			return reply(418, `I'm a teapot: the tea pot cannot brew coffee.\nSend ${TEA_COMMAND_TYPE} to brew tea here, or use the coffee pot (Use-Pot: ducky).`);
		}
		if (pot === 'ducky' && type === TEA_COMMAND_TYPE) {
			return reply(415, `The coffee pot ducky does not brew ${TEA_COMMAND_TYPE}.\nSend ${COFFEE_COMMAND_TYPE}, or send tea to the tea pot (Use-Pot: tea).`);
		}
		if (pot === 'tea' && command === 'start' && variety === undefined) {
			// RFC 7168 section 2.1.1: the tea pot lists its varieties in Alternates.
			const alternates = TEA_VARIETIES.map((v) => `{"/${v}" {type ${TEA_COMMAND_TYPE}}}`).join(', ');
			return reply(
				300,
				`The tea pot brews several teas; choose one in the URI, e.g. coffee://ducky/pot-1/darjeeling\nVarieties: ${TEA_VARIETIES.join(', ')}`,
				[{ name: 'Alternates', value: alternates }]
			);
		}
	}

	// Additions: the Accept-Additions header (RFC 2324 section 2.2.2.1) and the URI's additions list (section 3).
	const asked = [...getHeaders(req.headers, 'accept-additions').flatMap(splitAdditions), ...uri.additions];
	const refused = asked.filter((a) => findAddition(a) === undefined);
	if (refused.length > 0) {
		return reply(406, `Not acceptable: ${refused.join(', ')}\nAcceptable additions: ${ACCEPTABLE_ADDITIONS}`, [
			{ name: 'Accept-Additions', value: ACCEPTABLE_ADDITIONS }
		]);
	}
	const additions = [...new Set(asked.map((a) => (findAddition(a) as { name: string }).name))];

	const state = ctx.pot;
	switch (method) {
		case 'GET':
			return json(state.snapshot());
		case 'PROPFIND':
			return json(state.brew?.bean ?? {});
		case 'WHEN':
			return reply(200, state.when() ? 'Milk stopped' : 'No milk is pouring');
	}
	if (command === 'stop') {
		const { brew, wasBrewing } = state.stop();
		if (!brew) return reply(200, 'Nothing to stop: the pot is empty');
		return reply(200, wasBrewing ? `Stopped brewing ${describeBrew(brew)}` : `Stopped: emptied the pot of ${describeBrew(brew)}`);
	}
	const beverage = pot === 'tea' ? 'tea' : 'coffee';
	const leaves = variety !== undefined ? TEA_LEAVES[variety as keyof typeof TEA_LEAVES] : undefined;
	const started = state.start(pot, beverage, additions, variety, leaves);
	if (!started.ok) {
		const busy = started.busy;
		return reply(
			409,
			`The pot is busy: ${describeBrew(busy)} is brewing on ${busy.pot}, ready in ${started.secondsLeft} s (at ${new Date(busy.endsAt).toISOString()}).\nTry again then, or send BREW stop first.`,
			[{ name: 'Retry-After', value: String(started.secondsLeft) }]
		);
	}
	return reply(200, `Brewing ${describeBrew(started.brew)}; ready in ${state.secondsLeft()} s`);
}
