import type { FastifyInstance } from 'fastify';
import { attachContext, CallSignal, contextOf, RequestContextStore, type RequestContext } from '../context';
import { ErrorCode, GatewayError } from '../errors';
import { continueTrace } from '../observability/trace-context';

/**
 * Gives every request its id, trace, deadline and an abort signal that fires
 * when the client goes away, and runs the handler inside that context.
 */
export function registerRequestContext(fastify: FastifyInstance, defaultDeadlineMs: number): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    // A CallSignal, not an AbortController: one is made for every request, and every upstream call listens to it.
    const signal = new CallSignal();
    const raw = reply.raw;
    raw.on('close', () => {
      if (!raw.writableFinished) signal.abort(new GatewayError(ErrorCode.BadRequest, 'client closed the request'));
    });
    const context: RequestContext = {
      requestId: String(request.id),
      traceparent: continueTrace(request.headers.traceparent),
      route: request.routeOptions.url,
      deadline: Date.now() + defaultDeadlineMs,
      signal,
      reply,
    };
    attachContext(request.raw, context);
    RequestContextStore.run(context, done);
  });
  // Body parsing runs on socket callbacks outside the store; enter it again for the handler (a GET without a body is still in it).
  fastify.addHook('preHandler', (request, _reply, done) => {
    const context = contextOf(request);
    if (context && RequestContextStore.current() !== context) RequestContextStore.run(context, done);
    else done();
  });
}
