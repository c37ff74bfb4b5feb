import type { FastifyInstance, onRequestHookHandler, RouteOptions } from 'fastify';

/**
 * Adds `hook` to every service route registered from now on, never to the
 * control routes: the hook is fixed per route at registration, so `/__sim/*`
 * and `/health` skip it without a check per request.
 *
 * @example onServiceRoutes(app, (route) => (request, reply, done) => done());
 */
export function onServiceRoutes(app: FastifyInstance, makeHook: (route: RouteOptions) => onRequestHookHandler): void {
  app.addHook('onRoute', (route) => {
    if (route.config?.internal) return;
    const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [...existing, makeHook(route)];
  });
}
