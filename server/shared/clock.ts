/**
 * Wall-clock time in microseconds since the Unix epoch, with sub-millisecond
 * resolution (Date.now() alone only has milliseconds) and never going
 * backwards within one process, so events sort in the order they happened.
 */

const origin = performance.timeOrigin;
let last = 0;

export function nowUs(): number {
	let t = Math.floor((origin + performance.now()) * 1000);
	if (t <= last) t = last + 1;
	last = t;
	return t;
}
