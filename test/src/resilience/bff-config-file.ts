import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Writes a CONFIG_FILE for a BFF (merged over its defaults, under env), so a
 * suite can set the resilience keys that have no env variable. Throttling is
 * off: these suites send bursts that are about the upstream path, not limits.
 *
 * @example startBff('mobile-bff', sims.urls, { CONFIG_FILE: bffConfigFile({ upstreams: { catalog: { retry: { maxAttempts: 0 } } } }) })
 */
export function bffConfigFile(config: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'bff-config-')), 'config.json');
  writeFileSync(file, JSON.stringify({ throttling: { enabled: false }, ...config }));
  return file;
}

/** How many requests a sim saw on one route (`GET /products`), from its stats. */
export function routeCount(stats: { byRoute: Record<string, number> }, route: string): number {
  return stats.byRoute[route] ?? 0;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
