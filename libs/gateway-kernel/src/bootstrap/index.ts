export { createBffApp, runBff, type BffApp, type BffAppOptions } from './create-bff-app';
export { contextOf } from './request-context.hook';
export { parseTrustProxy } from './fastify-options';
