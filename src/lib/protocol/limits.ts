/**
 * Every size and time limit the protocol core enforces, in one place.
 *
 * The parser checks sizes itself; the time limits are enforced by whoever owns
 * the socket (the pot, the web app), because the parser never sees a clock.
 */

/** Request line (or status line) plus all header lines, CRLFs included: 16 KiB. Over it: 431. */
export const MAX_HEAD_BYTES = 16 * 1024;

/** Decoded body bytes of one message: 64 KiB. Over it: 413. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * A BREW or POST that carries a body but neither `Content-Length` nor
 * `Transfer-Encoding` (the original lab's web app sends `start` like that) has
 * no framing. Its body ends at the first of: the client half-closes the
 * connection, or no byte arrives for this many milliseconds once the head is in.
 */
export const BODY_IDLE_MS = 40;

/** A client that has sent part of a request and then nothing for this long gets 408. */
export const REQUEST_STALL_MS = 10_000;

/** An idle persistent connection (no request in progress) is closed after this long. */
export const KEEP_ALIVE_IDLE_MS = 30_000;

export interface ParserLimits {
	maxHeadBytes: number;
	maxBodyBytes: number;
}

export const DEFAULT_LIMITS: Readonly<ParserLimits> = Object.freeze({
	maxHeadBytes: MAX_HEAD_BYTES,
	maxBodyBytes: MAX_BODY_BYTES
});
