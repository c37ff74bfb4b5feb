import { Counter, register } from 'prom-client';

/**
 * The throttling counters, in prom-client's default registry (what /metrics
 * serves). Several apps in one process (tests) share them rather than register twice.
 *
 * @example metrics.rejected('partner-bff', 'burst');
 */
export class ThrottlingMetrics {
  readonly redisErrors = counter('gateway_ratelimit_redis_errors_total', 'Rate-limit store calls that failed or timed out, by the policy applied', [
    'policy',
  ]);
  readonly rejections = counter('gateway_ratelimit_rejections_total', 'Requests refused by a rate limit or quota (429)', ['app', 'limit']);

  rejected(app: string, limit: string): void {
    this.rejections.labels(app, limit).inc();
  }
}

function counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
  return (register.getSingleMetric(name) as Counter<L> | undefined) ?? new Counter({ name, help, labelNames });
}
