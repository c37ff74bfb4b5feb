import type { FastifyInstance } from 'fastify';
import { gatewayMetrics } from './gateway-metrics';
import type { HistogramSeries } from './series-histogram';

/** Route label of requests that matched no route (404s): one value, however many paths are probed. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Observes every response in `gateway_http_request_duration_seconds`, labelled
 * with the route template Fastify matched (`/api/products/:id`), so label
 * values stay bounded whatever paths clients send. One hook on the instance.
 */
export function registerHttpMetrics(fastify: FastifyInstance, app: string): void {
  const histogram = gatewayMetrics.httpDuration;
  // One bound series per (route, method, status), found by a string key instead of prom-client hashing a labels object per request.
  const series = new Map<string, HistogramSeries>();
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const key = `${route} ${request.method} ${reply.statusCode}`;
    let bound = series.get(key);
    if (!bound) series.set(key, (bound = histogram.series({ app, route, method: request.method, status: reply.statusCode })));
    bound.observe(reply.elapsedTime / 1000);
    done();
  });
}
