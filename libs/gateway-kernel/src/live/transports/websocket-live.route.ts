import fastifyWebsocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { LiveRouteDeps } from './live-route.deps';
import { admissionOf, liveAdmissionHook } from './live-admission.hook';
import { LIVE_PROTOCOL } from './live-credentials';
import { WebSocketLiveClient } from './websocket-live.client';
import { WebSocketOps } from './websocket-live.ops';

/** A client sends nothing but subscribe/unsubscribe ops; anything larger is a misbehaving client. */
const MAX_CLIENT_MESSAGE_BYTES = 4_096;
const NOT_FOUND = 'HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/**
 * The WebSocket endpoint, on @fastify/websocket (ws underneath): the
 * handshake is an ordinary Fastify request, so the route's `onRequest` hook
 * runs the policy and answers 401/403/429 as problem+json before any 101, and
 * the hot path is ws's own frame writer, one shared buffer per event. A
 * client changes its topics with `subscribe`/`unsubscribe` messages
 * ({@link WebSocketOps}), each counted against the route's limits. The
 * plugin sits in its own encapsulated context, so no other route pays for its
 * hooks; upgrades to any other path are refused with 404 here.
 *
 * @example registerWebSocketLiveRoute(fastify, '/api/live', deps);
 */
export function registerWebSocketLiveRoute(fastify: FastifyInstance, path: string, deps: LiveRouteDeps): void {
  const { hub, config, requestPolicy, policy, responder } = deps;
  // The plugin listens for upgrades on this emitter; only this path's reach it.
  const upgrades = new EventEmitter();
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = request.url ?? '';
    const end = url.indexOf('?');
    if ((end < 0 ? url : url.slice(0, end)) === path) {
      upgrades.emit('upgrade', request, socket, head);
      return;
    }
    socket.on('error', () => socket.destroy());
    socket.end(NOT_FOUND);
  };
  fastify.server.on('upgrade', onUpgrade);
  fastify.addHook('onClose', (_instance, done) => {
    fastify.server.off('upgrade', onUpgrade);
    done();
  });

  void fastify.register(async (scope) => {
    await scope.register(fastifyWebsocket, {
      options: {
        server: upgrades as never,
        maxPayload: MAX_CLIENT_MESSAGE_BYTES,
        perMessageDeflate: false,
        // Select our protocol when offered, never the token (`bearer.<jwt>`) that rides beside it.
        handleProtocols: (offered: Set<string>) => (offered.has(LIVE_PROTOCOL) ? LIVE_PROTOCOL : false),
      },
      // The hub closes connections itself (drain) before the server closes; what is left goes with the server.
      preClose: (done: () => void) => done(),
    });
    scope.route({
      method: 'GET',
      url: path,
      onRequest: liveAdmissionHook(requestPolicy, policy, hub, config.live, true),
      errorHandler: (error: Error, request: FastifyRequest, reply: FastifyReply) => {
        // The plugin ends a refused handshake's socket once answered: say so, or a keep-alive client reuses a dead socket.
        reply.header('connection', 'close');
        responder.send(error, request, reply);
      },
      handler: (_request: FastifyRequest, reply: FastifyReply) => {
        reply.code(426).header('upgrade', 'websocket').header('connection', 'upgrade').send();
      },
      wsHandler: (socket: WebSocket, request: FastifyRequest) => {
        const { principal, topics, reservation } = admissionOf(request);
        const client = new WebSocketLiveClient(socket, principal, config.live.bufferBytes, config.app);
        const ops = new WebSocketOps(socket, client, { hub, requestPolicy, policy, principal, ip: request.ip, subject: request, maxTopics: config.live.maxTopics });
        // Listening from the start (ws has bounded each message's size): what comes before the attach settles waits for it.
        socket.on('message', ops.take);
        ops.startAfter(hub.attach(client, topics, reservation));
      },
    } as never);
  });
}
