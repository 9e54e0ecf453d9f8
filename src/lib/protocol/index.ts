/** The shared protocol core. Safe in the browser: no Node or DOM APIs below. */
export * from './bytes';
export * from './constants';
export * from './errors';
export * from './limits';
export * from './message';
export * from './parser';
export * from './serialize';
export * from './uri';
export * from './additions';
