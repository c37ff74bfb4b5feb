import type { FastifyInstance } from 'fastify';
import { badRequest, notFound, sendJson } from '../app/http-replies';
import { nextCursor, PAGE_QUERY_PROPERTIES, type PageQuery, readPage } from '../app/pagination';
import { jsonList } from '../data/json-list';
import { type NewOrder, OrderRejectedError, OrderStore } from '../data/order-store';
import { OrderChangeFeed } from '../data/order-changes';
import type { OrderStatus } from '../data/seed.types';
import { INTERNAL_ROUTE } from '../app/route-config';
import { serveChangeFeed } from './order-feed.route';

const STATUSES: readonly OrderStatus[] = ['created', 'paid', 'shipped', 'delivered', 'cancelled'];
/** A burst larger than this is refused: it is a test tool, not a way to hang the sim. */
const MAX_BURST = 100_000;

const NEW_ORDER_SCHEMA = {
  type: 'object',
  required: ['userId', 'items'],
  properties: {
    userId: { type: 'string', minLength: 1, maxLength: 64 },
    items: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: {
        type: 'object',
        required: ['productId', 'quantity'],
        properties: {
          productId: { type: 'string', minLength: 1, maxLength: 64 },
          quantity: { type: 'integer', minimum: 1, maximum: 99 },
        },
      },
    },
  },
} as const;

/**
 * orders: a user's orders (newest first), one order, order creation kept in
 * memory, and the change feed of status changes (`GET /orders/changes`,
 * Server-Sent Events). Statuses change through `/__sim/orders/:id/status`
 * (one change) or `/__sim/orders/:id/changes` (a burst, for backpressure tests).
 */
export function ordersRoutes(app: FastifyInstance): void {
  const store = new OrderStore();
  const feed = new OrderChangeFeed();

  app.get('/orders/changes', (request, reply) => serveChangeFeed(feed, request, reply));

  app.get('/__sim/orders/feed', INTERNAL_ROUTE, async () => ({ subscribers: feed.subscribers }));

  app.put<{ Params: { id: string }; Body: { status: OrderStatus } }>(
    '/__sim/orders/:id/status',
    { ...INTERNAL_ROUTE, schema: { body: { type: 'object', required: ['status'], properties: { status: { enum: STATUSES } } } } },
    async (request, reply) => {
      const order = store.setStatus(request.params.id, request.body.status);
      if (!order) return notFound(reply, `order ${request.params.id} not found`);
      const change = feed.publish(order, order.status);
      return { changeId: change.id, order };
    },
  );

  app.post<{ Params: { id: string }; Body: { count: number } }>(
    '/__sim/orders/:id/changes',
    {
      ...INTERNAL_ROUTE,
      schema: { body: { type: 'object', required: ['count'], properties: { count: { type: 'integer', minimum: 1, maximum: MAX_BURST } } } },
    },
    async (request, reply) => {
      let order = store.get(request.params.id);
      if (!order) return notFound(reply, `order ${request.params.id} not found`);
      let last = 0;
      for (let i = 0; i < request.body.count; i++) {
        order = store.setStatus(order.id, STATUSES[(STATUSES.indexOf(order.status) + 1) % STATUSES.length])!;
        last = feed.publish(order, order.status).id;
      }
      return { lastChangeId: last, order };
    },
  );

  app.get<{ Querystring: PageQuery & { userId: string } }>(
    '/orders',
    {
      schema: {
        querystring: {
          type: 'object',
          required: ['userId'],
          properties: { ...PAGE_QUERY_PROPERTIES, userId: { type: 'string', minLength: 1 } },
        },
      },
    },
    async (request, reply) => {
      const page = readPage(request.query);
      if ('error' in page) return badRequest(reply, page.error);
      const { items, total } = store.listJson(request.query.userId, page.offset, page.limit);
      return sendJson(reply, 200, jsonList(items, { total, limit: page.limit, offset: page.offset, nextCursor: nextCursor(page, total) }));
    },
  );

  app.get<{ Params: { id: string } }>('/orders/:id', async (request, reply) => {
    const json = store.getJson(request.params.id);
    return json ? sendJson(reply, 200, json) : notFound(reply, `order ${request.params.id} not found`);
  });

  app.post<{ Body: NewOrder }>('/orders', { schema: { body: NEW_ORDER_SCHEMA } }, async (request, reply) => {
    try {
      const order = store.create(request.body);
      feed.publish(order, order.status);
      return reply.code(201).header('location', `/orders/${order.id}`).send(order);
    } catch (error) {
      if (error instanceof OrderRejectedError) return reply.code(error.status).send({ error: error.code, message: error.message });
      throw error;
    }
  });
}
