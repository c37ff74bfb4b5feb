import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import { INTERNAL_ROUTE } from '../app/route-config';
import { onServiceRoutes } from '../app/route-hooks';
import type { RequestStats } from './request-stats';

/**
 * Counts every service route's requests under `METHOD /pattern`, and serves
 * `GET|DELETE /__sim/stats`. Returns the hook for requests no route matches,
 * counted as `METHOD (no route)`, for the not-found handler to run.
 */
export function registerStats(app: FastifyInstance, stats: RequestStats): onRequestHookHandler {
  const record = (request: FastifyRequest, route: string) => stats.record(request.method, route, request.url, request.headers);

  onServiceRoutes(app, ({ method, url }) => {
    const key = typeof method === 'string' ? `${method} ${url}` : undefined;
    return (request, _reply, done) => {
      record(request, key ?? `${request.method} ${url}`);
      done();
    };
  });

  app.get('/__sim/stats', INTERNAL_ROUTE, async () => stats.snapshot());

  app.delete('/__sim/stats', INTERNAL_ROUTE, async () => {
    stats.reset();
    return stats.snapshot();
  });

  return (request, _reply, done) => {
    record(request, `${request.method} (no route)`);
    done();
  };
}
