import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Options } from 'pino-http';
import { contextOfMessage } from '../bootstrap/request-context.hook';
import type { GatewayConfig } from '../config';
import { UNMATCHED_ROUTE } from './http-metrics.hook';

// Probes and scrapes every few seconds would drown the access log.
const QUIET_PATHS = /^\/(health|metrics)(\/|\?|$)/;

interface AccessLine {
  route: string;
  status: number;
  durationMs: number;
  caller?: string;
  upstream?: string[];
}

/**
 * pino-http for nestjs-pino: reuses Fastify's request id, gives each request
 * a child logger carrying it, and writes one access line per request with
 * the route template, status, duration, caller (principal id, never a
 * credential) and upstream timings (`catalog:12ms:ok`). Health and metrics
 * requests are left out.
 *
 * @example LoggerModule.forRoot({ pinoHttp: accessLogOptions(config, createGatewayLogger(config)) })
 */
export function accessLogOptions(config: GatewayConfig, logger: Logger): Options {
  return {
    logger,
    // Fastify's id (the client's x-request-id when well-formed), copied onto the Node request by middie.
    genReqId: (request) => (request as IncomingMessage & { id?: string }).id ?? randomUUID(),
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    autoLogging: config.observability.accessLog ? { ignore: (request) => QUIET_PATHS.test(pathOf(request)) } : false,
    customLogLevel: (_request, response, error) => (error || response.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (request, response) => message(request, response),
    customErrorMessage: (request, response) => message(request, response),
    customSuccessObject: (request, response, value: { durationMs: number }) => accessLine(request, response, value.durationMs),
    // The failure itself was logged where it was handled (the problem+json filter); the access line stays one line.
    customErrorObject: (request, response, _error, value: { durationMs: number }) => accessLine(request, response, value.durationMs),
    serializers: {
      req: (request: { method: string; url: string; headers: Record<string, unknown>; remoteAddress?: string }) => ({
        method: request.method,
        url: request.url,
        headers: request.headers,
        remoteAddress: request.remoteAddress,
      }),
    },
  };
}

function accessLine(request: IncomingMessage, response: ServerResponse, durationMs: number): AccessLine {
  const context = contextOfMessage(request);
  return {
    route: context?.route ?? UNMATCHED_ROUTE,
    status: response.statusCode,
    durationMs,
    caller: context?.principal?.id,
    upstream: context?.upstreamTimings,
  };
}

function message(request: IncomingMessage, response: ServerResponse): string {
  return `${request.method} ${contextOfMessage(request)?.route ?? pathOf(request)} ${response.statusCode}`;
}

/** The URL as the client sent it: middie rewrites `url` below a middleware's mount path. */
function pathOf(request: IncomingMessage): string {
  return (request as IncomingMessage & { originalUrl?: string }).originalUrl ?? request.url ?? '';
}
