/** Session recordings (`.labrec`): format, keys, writer and verifier. docs/recording.md describes the format. */
export * from './format';
export * from './keys';
export * from './writer';
export * from './reader';
export * from './verify';
export * from './session';
export * from './api';
export * from './replay';
