/**
 * Frozen tables of protocol facts: methods, status reasons, media types,
 * coffee schemes (RFC 2324 section 3), additions (RFC 2324 section 2.2.2.1 plus
 * the lab's milks), pots and tea varieties (RFC 7168).
 */

/** HTCPCP methods (RFC 2324 section 2.1). POST is the deprecated alias of BREW. */
export const HTCPCP_METHODS = Object.freeze(['BREW', 'POST', 'GET', 'PROPFIND', 'WHEN'] as const);
export type HtcpcpMethod = (typeof HTCPCP_METHODS)[number];

/** HTTP methods the tutor recognises on the web side (RFC 9110 section 9). */
export const HTTP_METHODS = Object.freeze([
	'GET',
	'HEAD',
	'POST',
	'PUT',
	'DELETE',
	'CONNECT',
	'OPTIONS',
	'TRACE',
	'PATCH'
] as const);

/** Methods whose HTCPCP request carries a command body (`start` or `stop`). */
export const COMMAND_METHODS: ReadonlySet<string> = new Set(['BREW', 'POST']);

export const STATUS_REASONS: Readonly<Record<number, string>> = Object.freeze({
	100: 'Continue',
	200: 'OK',
	204: 'No Content',
	300: 'Multiple Options',
	301: 'Moved Permanently',
	302: 'Found',
	303: 'See Other',
	304: 'Not Modified',
	307: 'Temporary Redirect',
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	406: 'Not Acceptable',
	408: 'Request Timeout',
	409: 'Conflict',
	413: 'Content Too Large',
	415: 'Unsupported Media Type',
	418: "I'm a teapot",
	426: 'Upgrade Required',
	431: 'Request Header Fields Too Large',
	500: 'Internal Server Error',
	501: 'Not Implemented',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
	504: 'Gateway Timeout',
	505: 'HTTP Version Not Supported'
});

export function reasonPhrase(status: number): string {
	return STATUS_REASONS[status] ?? 'Unknown';
}

/** Request body type for coffee commands (RFC 2324 section 4). */
export const COFFEE_COMMAND_TYPE = 'application/coffee-pot-command';
/** Response body type for coffee pots (RFC 2324 section 4). */
export const COFFEE_RESPONSE_TYPE = 'message/coffeepot';
/** Request body type for tea commands (RFC 7168 section 3). */
export const TEA_COMMAND_TYPE = 'message/teapot';
/** The wrong type the lab's `/test-415` check sends. */
export const WRONG_TEA_COMMAND_TYPE = 'application/tea-pot-command';

export interface CoffeeScheme {
	/** The scheme as RFC 2324 section 3 writes it, percent-encoded where it is not ASCII. */
	readonly encoded: string;
	/** The scheme as Unicode text. */
	readonly decoded: string;
	readonly languages: string;
	/** Other Unicode spellings accepted for the same entry. */
	readonly aliases?: readonly string[];
}

/**
 * The 23 coffee schemes of RFC 2324 section 3. The RFC's Catalan/French/Galician
 * entry is printed as `caf%C3%E8`, which is not valid UTF-8 (a known erratum for
 * `caf%C3%A8`, "cafè"); both spellings are accepted by `parseCoffeeUri`.
 */
export const COFFEE_SCHEMES: readonly CoffeeScheme[] = Object.freeze([
	{ encoded: 'koffie', decoded: 'koffie', languages: 'Afrikaans, Dutch' },
	{ encoded: 'q%C3%A6hv%C3%A6', decoded: 'qæhvæ', languages: 'Azerbaijani' },
	{ encoded: '%D9%82%D9%87%D9%88%D8%A9', decoded: 'قهوة', languages: 'Arabic' },
	{ encoded: 'akeita', decoded: 'akeita', languages: 'Basque' },
	{ encoded: 'koffee', decoded: 'koffee', languages: 'Bengali' },
	{ encoded: 'kahva', decoded: 'kahva', languages: 'Bosnian' },
	{ encoded: 'kafe', decoded: 'kafe', languages: 'Bulgarian, Czech' },
	{ encoded: 'caf%C3%E8', decoded: 'cafè', languages: 'Catalan, French, Galician', aliases: ['café'] },
	{ encoded: '%E5%92%96%E5%95%A1', decoded: '咖啡', languages: 'Chinese' },
	{ encoded: 'kava', decoded: 'kava', languages: 'Croatian' },
	{ encoded: 'k%C3%A1va', decoded: 'káva', languages: 'Czech' },
	{ encoded: 'kaffe', decoded: 'kaffe', languages: 'Danish, Norwegian, Swedish' },
	{ encoded: 'coffee', decoded: 'coffee', languages: 'English' },
	{ encoded: 'kafo', decoded: 'kafo', languages: 'Esperanto' },
	{ encoded: 'kohv', decoded: 'kohv', languages: 'Estonian' },
	{ encoded: 'kahvi', decoded: 'kahvi', languages: 'Finnish' },
	{ encoded: '%4Baffee', decoded: 'Kaffee', languages: 'German' },
	{ encoded: '%CE%BA%CE%B1%CF%86%CE%AD', decoded: 'καφέ', languages: 'Greek' },
	{ encoded: '%E0%A4%95%E0%A5%8C%E0%A4%AB%E0%A5%80', decoded: 'कौफी', languages: 'Hindi' },
	{ encoded: '%E3%82%B3%E3%83%BC%E3%83%92%E3%83%BC', decoded: 'コーヒー', languages: 'Japanese' },
	{ encoded: '%EC%BB%A4%ED%94%BC', decoded: '커피', languages: 'Korean' },
	{ encoded: '%D0%BA%D0%BE%D1%84%D0%B5', decoded: 'кофе', languages: 'Russian' },
	{ encoded: '%E0%B8%81%E0%B8%B2%E0%B9%81%E0%B8%9F', decoded: 'กาแฟ', languages: 'Thai' }
]);

export type AdditionKind = 'milk' | 'syrup' | 'alcohol';

export interface Addition {
	/** Canonical lower-case name, as the pot reports it. */
	readonly name: string;
	readonly kind: AdditionKind;
}

/**
 * Additions the lab's pot accepts: RFC 2324 section 2.2.2.1's milk, syrup and
 * alcohol types, plus the plant milks the course's pot added.
 */
export const ADDITIONS: readonly Addition[] = Object.freeze([
	{ name: 'cream', kind: 'milk' },
	{ name: 'half-and-half', kind: 'milk' },
	{ name: 'whole-milk', kind: 'milk' },
	{ name: 'part-skim', kind: 'milk' },
	{ name: 'skim', kind: 'milk' },
	{ name: 'non-dairy', kind: 'milk' },
	{ name: 'oat milk', kind: 'milk' },
	{ name: 'soya milk', kind: 'milk' },
	{ name: 'coconut milk', kind: 'milk' },
	{ name: 'almond milk', kind: 'milk' },
	{ name: 'vanilla', kind: 'syrup' },
	{ name: 'almond', kind: 'syrup' },
	{ name: 'raspberry', kind: 'syrup' },
	{ name: 'chocolate', kind: 'syrup' },
	{ name: 'whisky', kind: 'alcohol' },
	{ name: 'rum', kind: 'alcohol' },
	{ name: 'kahlua', kind: 'alcohol' },
	{ name: 'aquavit', kind: 'alcohol' }
] as const);

/** The pots on the lab's pot server, selected by `Use-Pot` or the URI path. */
export const POTS = Object.freeze({
	/** The coffee pot, `pot-0`. The lab calls it by the server's name. */
	coffee: { name: 'ducky', designator: 'pot-0', kind: 'coffee' },
	/** The tea pot of RFC 7168, `pot-1`. */
	tea: { name: 'tea', designator: 'pot-1', kind: 'tea' }
} as const);

/** The pot server's host name in coffee URIs. */
export const POT_HOST = 'ducky';

/** Tea varieties the tea pot offers (RFC 7168 section 2.1.1: listed in `Alternates` on a 300). */
export const TEA_VARIETIES = Object.freeze(['darjeeling', 'earl-grey', 'peppermint', 'sencha'] as const);

/** The lab's well-known ports. */
export const POT_PORT = 5030;
export const WEBAPP_PORT = 5031;
