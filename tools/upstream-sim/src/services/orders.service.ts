import type { FastifyInstance } from 'fastify';
import { badRequest, notFound, sendJson } from '../app/http-replies';
import { nextCursor, PAGE_QUERY_PROPERTIES, type PageQuery, readPage } from '../app/pagination';
import { jsonList } from '../data/json-list';
import { type NewOrder, OrderRejectedError, OrderStore } from '../data/order-store';

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

/** orders: a user's orders (newest first), one order, and order creation kept in memory. */
export function ordersRoutes(app: FastifyInstance): void {
  const store = new OrderStore();

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
      return reply.code(201).header('location', `/orders/${order.id}`).send(order);
    } catch (error) {
      if (error instanceof OrderRejectedError) return reply.code(error.status).send({ error: error.code, message: error.message });
      throw error;
    }
  });
}
