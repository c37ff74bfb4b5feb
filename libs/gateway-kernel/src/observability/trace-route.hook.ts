import { trace } from '@opentelemetry/api';
import type * as SemanticConventions from '@opentelemetry/semantic-conventions';
import type { FastifyInstance } from 'fastify';
import { UNMATCHED_ROUTE } from './http-metrics.hook';

/**
 * Names the request's server span after its route template
 * (`GET /api/products/:id`) and sets `http.route`: the node:http
 * instrumentation sees only the raw path. Added only while tracing runs.
 */
export function registerTraceRoute(fastify: FastifyInstance): void {
  // Required here: the package is some 400 KB of constants, loaded only while tracing runs.
  const { ATTR_HTTP_ROUTE } = require('@opentelemetry/semantic-conventions') as typeof SemanticConventions;
  fastify.addHook('onRequest', (request, _reply, done) => {
    const span = trace.getActiveSpan();
    if (span) {
      const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
      span.updateName(`${request.method} ${route}`);
      span.setAttribute(ATTR_HTTP_ROUTE, route);
    }
    done();
  });
}
