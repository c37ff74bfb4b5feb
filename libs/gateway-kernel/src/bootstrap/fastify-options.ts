import type { FastifyServerOptions } from 'fastify';
import { listenerTlsFiles, type GatewayConfig } from '../config';
import { ErrorCode, GatewayError, ProblemResponder } from '../errors';
import { requestIdFor } from './request-id';

/**
 * The listener's limits from config. Proxies are trusted only as configured:
 * a hop count or an address list, never blanket `true`.
 */
export function fastifyOptions(config: GatewayConfig): FastifyServerOptions & Record<string, unknown> {
  const { http, tls } = config;
  // Node checks header and request timeouts only every connectionsCheckingInterval (30 s by
  // default), which let a trickling client hold a socket for up to twice the timeout.
  const serverTimeouts = { headersTimeout: http.headersTimeoutMs, requestTimeout: http.requestTimeoutMs, connectionsCheckingInterval: 1_000 };
  const responder = new ProblemResponder(config.problemTypeBase);
  const options: FastifyServerOptions & Record<string, unknown> = {
    http: serverTimeouts,
    bodyLimit: http.bodyLimitBytes,
    requestTimeout: http.requestTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    connectionTimeout: http.connectionTimeoutMs,
    // A number is a hop count (proxy-addr), which Fastify's types leave out.
    trustProxy: parseTrustProxy(http.trustProxy) as FastifyServerOptions['trustProxy'],
    genReqId: requestIdFor,
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Path parameters longer than this are refused before routing.
    routerOptions: { maxParamLength: 200 },
    // A URL the router cannot decode (`/api/%`) is answered before any route or hook runs:
    // problem+json like every other 400 (with the headers the hooks would have set), never
    // Fastify's JSON that echoes the URL back.
    frameworkErrors: (_error: unknown, request: Parameters<ProblemResponder['send']>[1], reply: Parameters<ProblemResponder['send']>[2]) => {
      const headers = { 'x-request-id': String(request.id), 'x-content-type-options': 'nosniff' };
      responder.send(new GatewayError(ErrorCode.BadRequest, 'the request URL is malformed', { headers }), request, reply);
    },
  };
  if (tls) {
    options.http2 = tls.http2;
    options.https = {
      ...serverTimeouts,
      ...listenerTlsFiles(tls),
      allowHTTP1: true,
    };
  }
  return options;
}

export function parseTrustProxy(value: string | undefined): number | string[] | false {
  if (!value) return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}
