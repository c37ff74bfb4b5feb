import { collectDefaultMetrics, Counter, register, type Metric } from 'prom-client';
import { SeriesHistogram } from './series-histogram';

// Latency buckets in seconds, from a cache hit to a request at its deadline.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The gateway's own metrics, in prom-client's default registry (what /metrics
 * serves, beside the throttling and resilience ones). The `app` label comes
 * from the registry's default labels (one app per process). Each is made once
 * per process: several apps in one process (tests) share them.
 */
export const gatewayMetrics = {
  /** Every request, by route template (never the raw path: bounded label values). */
  httpDuration: once(
    'gateway_http_request_duration_seconds',
    () =>
      new SeriesHistogram({
        name: 'gateway_http_request_duration_seconds',
        help: 'Duration of HTTP requests served, by route template, method and status',
        labelNames: ['app', 'route', 'method', 'status'],
        buckets: DURATION_BUCKETS,
      }),
  ),
  /** Every upstream call, as its caller saw it (retries and cache included), until response headers. */
  upstreamDuration: once(
    'gateway_upstream_request_duration_seconds',
    () =>
      new SeriesHistogram({
        name: 'gateway_upstream_request_duration_seconds',
        help: 'Duration of upstream calls until response headers, by upstream and outcome',
        labelNames: ['app', 'upstream', 'outcome'],
        buckets: DURATION_BUCKETS,
      }),
  ),
  /** Every aggregation plan run: `complete` is false when an optional source is missing or a required one failed. */
  aggregations: once(
    'gateway_aggregation_total',
    () =>
      new Counter({
        name: 'gateway_aggregation_total',
        help: 'Aggregation plan runs, by plan and whether every source answered',
        labelNames: ['app', 'plan', 'complete'],
      }),
  ),
};

/**
 * Process metrics (CPU, memory, event loop lag, GC, handles) with the
 * `app` label on every metric; collected once per process however many apps it holds.
 */
export function registerProcessMetrics(app: string): void {
  register.setDefaultLabels({ app });
  if (register.getSingleMetric('process_cpu_seconds_total')) return;
  collectDefaultMetrics();
  // Gauges named like counters, which Prometheus's naming rules (promtool check metrics) reject;
  // each is the sum of its `nodejs_active_*{type}` gauge, so nothing is lost: sum() it in PromQL.
  for (const name of MISNAMED_DEFAULT_GAUGES) register.removeSingleMetric(name);
}

const MISNAMED_DEFAULT_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

function once<T extends Metric>(name: string, create: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}
