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
  fastify.addHook('onResponse', (request, reply, done) => {
    histogram.observe(
      { app, route: request.routeOptions.url ?? UNMATCHED_ROUTE, method: request.method, status: reply.statusCode },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
