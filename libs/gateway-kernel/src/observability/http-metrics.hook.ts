import type { FastifyInstance } from 'fastify';
import { gatewayMetrics } from './gateway-metrics';

/** Route label of requests that matched no route (404s): one value, however many paths are probed. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Observes every response in `gateway_http_request_duration_seconds`, labelled
 * with the route template Fastify matched (`/api/products/:id`), so label
 * values stay bounded whatever paths clients send. One hook on the instance.
 */
export function registerHttpMetrics(fastify: FastifyInstance, app: string): void {
  const histogram = gatewayMetrics.httpDuration;
  // One labelled child per (route, method, status), found by a string key instead of prom-client hashing a labels object per request.
  const series = new Map<string, ReturnType<typeof histogram.labels>>();
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const key = `${route} ${request.method} ${reply.statusCode}`;
    let child = series.get(key);
    if (!child) series.set(key, (child = histogram.labels({ app, route, method: request.method, status: reply.statusCode })));
    child.observe(reply.elapsedTime / 1000);
    done();
  });
}
