import type { FastifyInstance, HTTPMethods } from 'fastify';
import type { GatewayConfig } from '../config';
import type { ProblemResponder } from '../errors';
import { routePolicyHook, type RequestPolicy, type RouteDeclaration } from '../policy';
import type { UpstreamClient } from '../upstream';
import { createProxyHandler } from './proxy.handler';
import { PASS_THROUGH_BODY, type ProxyRoute } from './proxy-route';

/** What registering a pass-through route needs, all made at start. */
export interface ProxyRouteDeps {
  client: UpstreamClient;
  config: GatewayConfig;
  requestPolicy: RequestPolicy;
  responder: ProblemResponder;
}

/** The route's policy declaration: public or not, scopes, deadline; limits as the app's. */
export function proxyRouteDeclaration(route: ProxyRoute): RouteDeclaration {
  return {
    id: `proxy:${route.prefix}`,
    paths: [`${route.prefix}/*`],
    auth: { public: route.public ?? false, scopes: route.scopes ?? [] },
    deadlineMs: route.deadlineMs,
  };
}

/**
 * Registers one pass-through route on Fastify directly, not through a Nest
 * controller: the policy runs in the route's own `onRequest` hook (before any
 * body is read), errors render through the shared `ProblemResponder`, and the
 * handler streams. Everything per route is built here, once.
 *
 * @example registerProxyRoute(fastify, { prefix: '/api/catalog', upstream: 'catalog', public: true }, deps);
 */
export function registerProxyRoute(fastify: FastifyInstance, route: ProxyRoute, deps: ProxyRouteDeps): void {
  const declared = route.methods ?? ['GET', 'HEAD'];
  // Fastify answers HEAD for every GET route itself (through the GET handler, with the same hooks).
  const methods = declared.includes('GET') ? declared.filter((m) => m !== 'HEAD') : declared;
  const { requestPolicy, responder } = deps;
  fastify.route({
    method: methods as HTTPMethods[],
    url: `${route.prefix}/*`,
    config: { [PASS_THROUGH_BODY]: true } as object,
    onRequest: routePolicyHook(requestPolicy, requestPolicy.resolve(proxyRouteDeclaration(route))),
    errorHandler: (error, request, reply) => responder.send(error, request, reply),
    handler: createProxyHandler(route, deps.client, deps.config),
  });
}
