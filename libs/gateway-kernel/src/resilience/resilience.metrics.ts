import { Counter, Gauge, register } from 'prom-client';

/**
 * Breaker, ejection and retry metrics of the upstream path, in prom-client's
 * default registry (served at /metrics). Each is made once per process:
 * several apps in one process (tests) share them instead of registering twice.
 * The instance's label is `upstream_instance`: Prometheus owns `instance` (the
 * scraped target) and would rename ours to `exported_instance`.
 */
export const resilienceMetrics = {
  /** 0 closed, 1 half-open, 2 open. */
  breakerState: singleton(
    'gateway_breaker_state',
    () =>
      new Gauge({
        name: 'gateway_breaker_state',
        help: 'Circuit breaker state per upstream instance: 0 closed, 1 half-open, 2 open',
        labelNames: ['upstream', 'upstream_instance'],
      }),
  ),
  /** 1 while outlier detection keeps the instance out of the rotation. */
  ejected: singleton(
    'gateway_upstream_ejected',
    () =>
      new Gauge({
        name: 'gateway_upstream_ejected',
        help: 'Whether outlier detection has ejected the upstream instance (1) or not (0)',
        labelNames: ['upstream', 'upstream_instance'],
      }),
  ),
  /** `outcome`: `sent` (a retry went out) or `denied` (the retry budget said no). */
  retries: singleton(
    'gateway_upstream_retries_total',
    () =>
      new Counter({
        name: 'gateway_upstream_retries_total',
        help: 'Retries of upstream calls, sent or denied by the retry budget',
        labelNames: ['upstream', 'outcome'],
      }),
  ),
};

function singleton<T>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}
