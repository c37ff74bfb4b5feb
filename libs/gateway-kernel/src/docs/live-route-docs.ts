import type { OpenAPIObject } from '@nestjs/swagger';
import type { GatewayConfig } from '../config';
import { LIVE_PROTOCOL, PROTOCOL_TOKEN_PREFIX, type LiveModuleOptions } from '../live';
import { kernelResponses, routeTraits, SECURITY_SCHEMES, THROTTLED_EXTENSION } from './route-docs';

const TOPICS = {
  name: 'topics',
  in: 'query',
  required: true,
  description: 'Comma-separated: `orders` (the caller\'s own orders, needs orders:read) and `stock:<productId>`',
  schema: { type: 'string', maxLength: 1024, pattern: '^[A-Za-z0-9:_,-]+$' },
  example: 'orders,stock:p1',
};

const LAST_EVENT_ID = {
  name: 'Last-Event-ID',
  in: 'header',
  required: false,
  description: 'Sent by EventSource on reconnecting: the events missed since this one are replayed first (within the replay window)',
  schema: { type: 'string', maxLength: 33, pattern: '^[0-9]{1,16}-[0-9]{1,16}$' },
};

/**
 * Adds the app's live-updates endpoint (registered on Fastify by LiveModule,
 * so invisible to Swagger's controller scan): `GET <path>?topics=`, answered as
 * a Server-Sent Events stream or upgraded to a WebSocket, behind a user JWT,
 * with the kernel's problem answers for its admission (credentials, topics,
 * limits, caps).
 *
 * @example addLiveRoute(document, { path: '/api/live', transport: 'sse' }, config);
 */
export function addLiveRoute(document: OpenAPIObject, live: LiveModuleOptions, config: GatewayConfig): void {
  const traits = routeTraits(config, { isPublic: false, scopes: live.scopes ?? [], takesInput: true });
  const responses: Record<string, object> = {};
  if (live.transport === 'sse') {
    responses['200'] = {
      description: 'A text/event-stream: `id`, `event` and `data` (JSON) per event, heartbeats between them',
      content: { 'text/event-stream': { schema: { type: 'string', description: 'Server-Sent Events (one `data:` JSON line per event)' } } },
    };
  } else {
    responses['101'] = { description: `Switched to a WebSocket (subprotocol \`${LIVE_PROTOCOL}\`): one JSON text message per event` };
  }
  for (const { status, description, headers, content } of kernelResponses(traits)) responses[String(status)] = { description, headers, content };
  const credential = SECURITY_SCHEMES.jwt;
  (document.paths as Record<string, unknown>)[live.path] = {
    get: {
      tags: ['live'],
      summary: live.transport === 'sse' ? 'Live updates (Server-Sent Events)' : 'Live updates (WebSocket)',
      description:
        live.transport === 'sse'
          ? 'Events on the chosen topics as they happen, streamed until the client leaves.'
          : `Events on the chosen topics as they happen, over a WebSocket. A browser, which cannot set Authorization on a WebSocket, sends the token as a \`${PROTOCOL_TOKEN_PREFIX}<token>\` subprotocol.`,
      operationId: `live_${live.transport}`,
      parameters: live.transport === 'sse' ? [TOPICS, LAST_EVENT_ID] : [TOPICS],
      security: [{ [credential]: [] }],
      ...(traits.throttled ? { [THROTTLED_EXTENSION]: true } : {}),
      responses,
    },
  };
}
