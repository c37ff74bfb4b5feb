import { configFileEnv } from '../support';

/**
 * The env for a BFF under a resilience suite: its CONFIG_FILE with these
 * settings and throttling off (the suites send bursts that are about the
 * upstream path, not about limits).
 *
 * @example startBff('mobile-bff', sims.urls, resilienceEnv({ upstreams: { catalog: { retry: { maxAttempts: 0 } } } }))
 */
export function resilienceEnv(config: Record<string, unknown>): { CONFIG_FILE: string } {
  return configFileEnv({ throttling: { enabled: false }, ...config });
}

/** How many requests a sim saw on one route (`GET /products`), from its stats. */
export function routeCount(stats: { byRoute: Record<string, number> }, route: string): number {
  return stats.byRoute[route] ?? 0;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
