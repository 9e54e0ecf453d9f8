/**
 * The annotation knowledge base: what each method, status, header, scheme,
 * TCP flag and TLS message means, for students, with the RFC section. Shared
 * by the capture CLI and the browser inspector; no Node or DOM APIs.
 */
export * from './types';
export * from './methods';
export * from './statuses';
export * from './headers';
export * from './schemes';
export * from './tcp';
export * from './tls';
export * from './target';
export * from './body';
export * from './annotate';
