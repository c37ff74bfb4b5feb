import type { FastifyInstance } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import { contextOf } from '../context';
import { UNMATCHED_ROUTE } from './http-metrics.hook';
import { redactUrl } from './redact-paths';
import { traceIdOf } from './trace-context';

// Probes and scrapes every few seconds would drown the access log.
const QUIET_PATHS = /^\/(health|metrics)(\/|\?|$)/;

/**
 * One access line per request, written from a Fastify onResponse hook with
 * the app's root logger: request id, trace id, route template, status,
 * duration, caller (principal id, never a credential) and upstream timings
 * (`catalog:12ms:ok`). Health and metrics requests are left out.
 *
 * Written here rather than by pino-http: nestjs-pino mounts pino-http as
 * Express-style middleware, which on Fastify means @fastify/middie and a child
 * logger for every request; together they cost more CPU per request than
 * the proxying itself. `logger` writes lines as they are: `censor` has taken
 * the credentials out of the headers (see accessLineLogger).
 *
 * @example registerAccessLog(fastify, accessLineLogger(root), headerCensor('x-api-key')) // ObservabilityModule does this when observability.accessLog is on
 */
export function registerAccessLog(fastify: FastifyInstance, logger: Logger, censor: (headers: IncomingHttpHeaders) => IncomingHttpHeaders): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    if (QUIET_PATHS.test(request.url)) return done();
    const context = contextOf(request);
    const route = context?.route ?? UNMATCHED_ROUTE;
    const status = reply.statusCode;
    const line = {
      requestId: String(request.id),
      traceId: traceIdOf(context?.traceparent),
      req: { method: request.method, url: redactUrl(request.url), headers: censor(request.headers), remoteAddress: request.ip },
      route,
      status,
      durationMs: Math.round(reply.elapsedTime * 1000) / 1000,
      caller: context?.principal?.id,
      upstream: context?.upstreamTimings,
    };
    // The failure itself was logged where it was handled (the problem+json filter); this stays one line.
    if (status >= 500) logger.error(line, `${request.method} ${route} ${status}`);
    else logger.info(line, `${request.method} ${route} ${status}`);
    done();
  });
}
