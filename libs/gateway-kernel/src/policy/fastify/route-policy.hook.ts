import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { RequestPolicy } from '../request-policy';
import type { RoutePolicy } from '../route-policy';

/**
 * The Fastify adapter of the route policy: an `onRequest` hook fixed on a
 * route registered directly on Fastify (pass-through routes), so credentials
 * and limits are settled before a body is read. Errors go to the route's
 * error handler, rendered as problem+json like any other.
 *
 * @example fastify.route({ method: 'GET', url: '/api/catalog/*', onRequest: routePolicyHook(requestPolicy, policy), handler });
 */
export function routePolicyHook(requestPolicy: RequestPolicy, policy: RoutePolicy) {
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    let pending: Promise<void> | undefined;
    try {
      pending = requestPolicy.enforce(policy, request, reply, request);
    } catch (error) {
      done(error as Error);
      return;
    }
    if (pending === undefined) done();
    else pending.then(() => done(), done);
  };
}
