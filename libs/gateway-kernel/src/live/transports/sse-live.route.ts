import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isEventId } from '../live-event';
import type { LiveRouteDeps } from './live-route.deps';
import { admissionOf, liveAdmissionHook } from './live-admission.hook';
import { SseLiveClient } from './sse-live.client';

/** How long EventSource waits before reconnecting (the `retry:` field), with some spread so a drained replica's clients do not all come back at once. */
const RETRY_MS = 1_000;

/**
 * The Server-Sent Events endpoint: `GET <path>?topics=...` with a bearer JWT,
 * answered `text/event-stream`. `Last-Event-ID` (what EventSource sends when
 * it reconnects) first replays what was missed within the window. The route's
 * `onRequest` hook runs the same admission as the WebSocket's.
 *
 * @example registerSseLiveRoute(fastify, '/api/live', deps);
 */
export function registerSseLiveRoute(fastify: FastifyInstance, path: string, deps: LiveRouteDeps): void {
  const { hub, config, requestPolicy, policy, responder } = deps;
  fastify.route({
    method: 'GET',
    url: path,
    // A HEAD would open a stream it never reads.
    exposeHeadRoute: false,
    onRequest: liveAdmissionHook(requestPolicy, policy, hub, config.live, false),
    errorHandler: (error, request, reply) => responder.send(error, request, reply),
    handler: (request: FastifyRequest, reply: FastifyReply) => {
      const { principal, topics, reservation } = admissionOf(request);
      const lastEventId = request.headers['last-event-id'];
      reply.hijack();
      const raw = reply.raw;
      // The listener's idle timeout is for requests; a stream is kept alive by its heartbeats and cut by its buffer.
      raw.socket?.setTimeout(0);
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
        // nginx and similar would otherwise hold events back to fill a buffer.
        'x-accel-buffering': 'no',
        'x-request-id': String(request.id),
      });
      raw.write(`retry: ${RETRY_MS + Math.floor(Math.random() * RETRY_MS)}\n\n`);
      const client = new SseLiveClient(raw, principal, config.live.bufferBytes, config.app);
      void hub.attach(client, topics, reservation, isEventId(lastEventId) ? lastEventId : undefined, () => client.gap());
    },
  });
}
