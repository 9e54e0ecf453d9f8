/**
 * The relay's websocket protocol: every message the relay and the tutor page
 * exchange on `/ws`, as valibot schemas. Both ends validate what they receive
 * with `parseClientMessage` / `parseServerMessage`; a message that fails is
 * answered with an `error` message, never trusted.
 *
 * Every message is one JSON text frame carrying `v` (the protocol version)
 * and `type`. Bytes travel as base64 strings. No Node or DOM imports here:
 * the browser site imports this file as it is.
 */

import * as v from 'valibot';

/** Bumped whenever a message changes shape in a way an old peer would misread. */
export const RELAY_PROTOCOL_VERSION = 2;

/** The largest frame either end sends or accepts (the relay's ws `maxPayload`). */
export const MAX_CLIENT_FRAME_BYTES = 64 * 1024;

/** Terminal output is sent in slices of at most this many characters. */
export const MAX_TERMINAL_CHUNK = 32 * 1024;

/** A traffic event carries at most this many bytes; `length` tells the full size. */
export const MAX_EVENT_BYTES = 16 * 1024;

export const TERMINAL_IDS = ['pot', 'webapp', 'shell'] as const;
export type TerminalId = (typeof TERMINAL_IDS)[number];

const version = v.literal(RELAY_PROTOCOL_VERSION);
const terminalId = v.picklist(TERMINAL_IDS);
const side = v.picklist(['client', 'server'] as const);
const port = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(65535));
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const endpoint = v.object({ address: v.pipe(v.string(), v.maxLength(64)), port });

// ---------------------------------------------------------------- browser → relay

export const TerminalInputSchema = v.object({
	v: version,
	type: v.literal('term-input'),
	id: terminalId,
	data: v.pipe(v.string(), v.maxLength(16 * 1024))
});

export const TerminalResizeSchema = v.object({
	v: version,
	type: v.literal('term-resize'),
	id: terminalId,
	cols: v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(1000)),
	rows: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(500))
});

export const TerminalRestartSchema = v.object({
	v: version,
	type: v.literal('term-restart'),
	id: terminalId
});

/** Asks for a fresh `hello` (terminal states and scroll-back), e.g. after the page reattaches. */
export const SyncSchema = v.object({ v: version, type: v.literal('sync') });

const labId = v.pipe(v.string(), v.maxLength(100));

/** The student's answer to one question; the relay grades it and replies `lab-result`. */
export const LabAnswerSchema = v.object({
	v: version,
	type: v.literal('lab-answer'),
	/** Chosen by the page to pair the reply with the question. */
	ref: v.pipe(v.number(), v.integer(), v.minValue(0)),
	page: labId,
	question: labId,
	value: v.union([
		v.pipe(v.string(), v.maxLength(1000)),
		v.number(),
		v.pipe(v.array(v.pipe(v.string(), v.maxLength(1000))), v.maxLength(50))
	])
});

export type LabAnswer = v.InferOutput<typeof LabAnswerSchema>;

export const ClientMessageSchema = v.variant('type', [
	TerminalInputSchema,
	TerminalResizeSchema,
	TerminalRestartSchema,
	SyncSchema,
	LabAnswerSchema
]);
export type ClientMessage = v.InferOutput<typeof ClientMessageSchema>;

// ---------------------------------------------------------------- relay → browser

export const TerminalStateSchema = v.picklist(['starting', 'running', 'exited', 'failed', 'off'] as const);
export type TerminalState = v.InferOutput<typeof TerminalStateSchema>;

export const TerminalStatusSchema = v.object({
	v: version,
	type: v.literal('term-status'),
	id: terminalId,
	title: v.string(),
	command: v.string(),
	state: TerminalStateSchema,
	pid: v.optional(count),
	exitCode: v.optional(v.nullable(v.number())),
	signal: v.optional(v.nullable(v.string())),
	/** One line for the user, e.g. why the program could not start. */
	note: v.optional(v.string())
});
export type TerminalStatus = v.InferOutput<typeof TerminalStatusSchema>;

export const TerminalDataSchema = v.object({
	v: version,
	type: v.literal('term-data'),
	id: terminalId,
	data: v.string(),
	/** True for scroll-back replayed on connect rather than fresh output. */
	replay: v.optional(v.boolean())
});

export const HelloSchema = v.object({
	v: version,
	type: v.literal('hello'),
	terminals: v.array(TerminalStatusSchema),
	ports: v.object({ pot: port, webapp: port, relay: port }),
	https: v.boolean()
});

export const TrafficEventMessageSchema = v.object({
	v: version,
	type: v.literal('traffic'),
	event: v.variant('kind', [
		v.object({
			kind: v.literal('open'),
			conn: count,
			timeUs: count,
			client: endpoint,
			server: endpoint,
			label: v.optional(v.string())
		}),
		v.object({
			kind: v.literal('data'),
			conn: count,
			timeUs: count,
			from: side,
			/** Base64 of the first `MAX_EVENT_BYTES` bytes. */
			bytes: v.string(),
			/** The true number of bytes in this event. */
			length: count
		}),
		v.object({ kind: v.literal('end'), conn: count, timeUs: count, from: side }),
		v.object({ kind: v.literal('reset'), conn: count, timeUs: count, from: side }),
		v.object({ kind: v.literal('close'), conn: count, timeUs: count })
	])
});
export type TrafficEventMessage = v.InferOutput<typeof TrafficEventMessageSchema>;

/** A body is shown as text up to this many bytes. */
export const MAX_BODY_SHOWN = 16 * 1024;

const header = v.object({ name: v.string(), value: v.string() });

/** An HTTP or HTCPCP message as the wire analysis parsed it. */
export const HttpPartSchema = v.object({
	kind: v.picklist(['request', 'response'] as const),
	protocol: v.picklist(['HTTP', 'HTCPCP'] as const),
	version: v.string(),
	startLine: v.string(),
	method: v.optional(v.string()),
	target: v.optional(v.string()),
	status: v.optional(v.number()),
	reason: v.optional(v.string()),
	headers: v.array(header),
	/** The body as UTF-8 text (replacement characters where it is not), cut at MAX_BODY_SHOWN bytes. */
	body: v.string(),
	bodyLength: count,
	framing: v.string(),
	/** Bytes on the wire: head and framed body. */
	length: count
});

/** A TLS record: all the tap can say about HTTPS traffic. */
export const TlsPartSchema = v.object({
	contentType: v.string(),
	recordVersion: v.string(),
	encrypted: v.boolean(),
	/** Plain words on why the content cannot be read. */
	why: v.optional(v.string()),
	handshakes: v.array(v.string()),
	length: count
});

/**
 * One parsed (and, where the knowledge base has something to say, annotated)
 * message from the wire analysis, with where it travelled.
 */
export const TrafficMessageSchema = v.object({
	v: version,
	type: v.literal('message'),
	/** The analysis' message or record id (requests and responses share one numbering per kind). */
	id: count,
	conn: count,
	from: side,
	label: v.optional(v.string()),
	client: endpoint,
	server: endpoint,
	/** When its last byte reached the tap (microseconds since the epoch). */
	timeUs: count,
	/** Frame numbers in the downloadable pcapng that carried it. */
	frames: v.array(count),
	/** One line, as a capture list shows it. */
	summary: v.string(),
	/** For a response: the id of the request it answers. */
	answers: v.optional(count),
	http: v.optional(HttpPartSchema),
	tls: v.optional(TlsPartSchema),
	/** What the knowledge base says about the message's parts. */
	annotation: v.optional(v.unknown())
});
export type TrafficMessage = v.InferOutput<typeof TrafficMessageSchema>;
export type HttpPart = v.InferOutput<typeof HttpPartSchema>;

const gradeStatus = v.picklist(['correct', 'wrong', 'missing', 'invalid'] as const);
const answerValue = v.union([v.string(), v.number(), v.array(v.string())]);

/** The lab's progress: per page, its questions' and checks' state (see src/lib/lab/public.ts). */
export const LabStateMessageSchema = v.object({
	v: version,
	type: v.literal('lab-state'),
	pages: v.record(
		v.string(),
		v.object({
			questions: v.record(
				v.string(),
				v.object({
					attempts: count,
					correct: v.boolean(),
					last: v.optional(v.object({ value: answerValue, status: gradeStatus, message: v.string(), at: v.string() })),
					explanation: v.optional(v.string()),
					score: v.number()
				})
			),
			checks: v.record(v.string(), v.object({ pass: v.boolean(), detail: v.string(), passedAt: v.optional(v.string()) })),
			complete: v.boolean(),
			score: v.number(),
			maxScore: v.number()
		})
	)
});
export type LabStateMessage = v.InferOutput<typeof LabStateMessageSchema>;

/** The grade of one `lab-answer`, sent to the page that asked. */
export const LabResultSchema = v.object({
	v: version,
	type: v.literal('lab-result'),
	ref: count,
	page: v.string(),
	question: v.string(),
	status: gradeStatus,
	message: v.string(),
	explanation: v.optional(v.string()),
	attempts: count,
	correct: v.boolean()
});
export type LabResult = v.InferOutput<typeof LabResultSchema>;

export const ErrorMessageSchema = v.object({
	v: version,
	type: v.literal('error'),
	code: v.picklist(['invalid-json', 'invalid-message', 'unknown-terminal', 'terminal-off', 'lab-unavailable'] as const),
	message: v.string()
});

/** Most messages one `batch` frame carries. */
export const MAX_BATCH_MESSAGES = 256;

/**
 * Several traffic messages in one frame, in order: the relay sends each
 * turn's traffic this way instead of as one frame per event, which would cost
 * a socket write each. A page handles each inner message as if it had come
 * alone. Batches do not nest.
 */
export const BatchSchema = v.object({
	v: version,
	type: v.literal('batch'),
	messages: v.pipe(v.array(v.variant('type', [TrafficEventMessageSchema, TrafficMessageSchema])), v.minLength(1), v.maxLength(MAX_BATCH_MESSAGES))
});
export type Batch = v.InferOutput<typeof BatchSchema>;

export const ServerMessageSchema = v.variant('type', [
	BatchSchema,
	HelloSchema,
	TerminalStatusSchema,
	TerminalDataSchema,
	TrafficEventMessageSchema,
	TrafficMessageSchema,
	LabStateMessageSchema,
	LabResultSchema,
	ErrorMessageSchema
]);
export type ServerMessage = v.InferOutput<typeof ServerMessageSchema>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; code: 'invalid-json' | 'invalid-message'; error: string };

function parseWith<T>(schema: v.GenericSchema<unknown, T>, text: string): ParseResult<T> {
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		return { ok: false, code: 'invalid-json', error: 'the message is not JSON' };
	}
	if (typeof json === 'object' && json !== null && 'v' in json && json.v !== RELAY_PROTOCOL_VERSION) {
		return {
			ok: false,
			code: 'invalid-message',
			error: `protocol version ${String(json.v)} is not supported (this end speaks ${RELAY_PROTOCOL_VERSION})`
		};
	}
	const result = v.safeParse(schema, json);
	if (result.success) return { ok: true, message: result.output };
	const issue = result.issues[0];
	const where = issue.path?.map((p) => String(p.key)).join('.') ?? '';
	return { ok: false, code: 'invalid-message', error: where ? `${where}: ${issue.message}` : issue.message };
}

/** Validates a frame the browser sent. */
export function parseClientMessage(text: string): ParseResult<ClientMessage> {
	return parseWith(ClientMessageSchema, text);
}

/** Validates a frame the relay sent. */
export function parseServerMessage(text: string): ParseResult<ServerMessage> {
	return parseWith(ServerMessageSchema, text);
}
