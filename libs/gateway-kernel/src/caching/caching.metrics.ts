import { Counter, register } from 'prom-client';

/**
 * Response cache and coalescing metrics of the upstream path, in
 * prom-client's default registry (served at /metrics). Each is made once per
 * process: several apps in one process (tests) share them.
 */
export const cachingMetrics = {
  /** `result`: `hit`, `stale` (served on error), `miss`. */
  cache: singleton(
    'gateway_upstream_cache_total',
    () =>
      new Counter({
        name: 'gateway_upstream_cache_total',
        help: 'Upstream GETs answered from the response cache (hit, stale) or not (miss)',
        labelNames: ['upstream', 'result'],
      }),
  ),
  /** Calls that joined an identical call already in flight. */
  coalesced: singleton(
    'gateway_upstream_coalesced_total',
    () =>
      new Counter({
        name: 'gateway_upstream_coalesced_total',
        help: 'Upstream GETs that shared an identical call already in flight',
        labelNames: ['upstream'],
      }),
  ),
};

function singleton<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}
