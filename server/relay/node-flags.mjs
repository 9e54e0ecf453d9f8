// Node flags the relay runs with, wherever it is started from: `npm start`
// (scripts/start.mjs), the tests and the benchmarks (tests/relay/client.ts).
// Plain JavaScript so that scripts/start.mjs can read it without tsx.
//
// --max-semi-space-size=8: V8's young generation may grow to three times
// this many MiB. At the default (16) a program flooding its terminal pushed
// the relay's resident memory to about 150 MB; at 8 it stays near 130 MB
// (docs/relay.md has the figures), for slightly more frequent minor GCs.

/** @type {readonly string[]} */
export const RELAY_NODE_FLAGS = Object.freeze(['--max-semi-space-size=8']);
