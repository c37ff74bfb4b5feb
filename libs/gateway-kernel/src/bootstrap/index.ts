export { createBffApp, runBff, type BffApp, type BffAppOptions } from './create-bff-app';
export { parseTrustProxy } from './fastify-options';
