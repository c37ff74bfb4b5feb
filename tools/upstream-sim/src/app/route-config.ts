import type { RouteShorthandOptions } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Control routes (`/__sim/*`, `/health`): never faulted, never counted. */
    internal?: boolean;
  }
}

/** Route options marking a control route. */
export const INTERNAL_ROUTE: RouteShorthandOptions = { config: { internal: true } };
