import type { FastifyInstance } from 'fastify';
import { badRequest, sendJson } from '../app/http-replies';
import { nextCursor, PAGE_QUERY_PROPERTIES, type PageQuery, readPage } from '../app/pagination';
import { jsonList } from '../data/json-list';
import { getSeed } from '../data/seed';

/** reviews: a product's reviews, newest first; an unknown product has none. */
export function reviewsRoutes(app: FastifyInstance): void {
  const byProduct = new Map<string, string[]>();
  const newestFirst = [...getSeed().reviews].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  for (const review of newestFirst) {
    const list = byProduct.get(review.productId) ?? [];
    list.push(JSON.stringify(review));
    byProduct.set(review.productId, list);
  }

  app.get<{ Querystring: PageQuery & { productId: string } }>(
    '/reviews',
    {
      schema: {
        querystring: {
          type: 'object',
          required: ['productId'],
          properties: { ...PAGE_QUERY_PROPERTIES, productId: { type: 'string', minLength: 1 } },
        },
      },
    },
    async (request, reply) => {
      const page = readPage(request.query);
      if ('error' in page) return badRequest(reply, page.error);
      const all = byProduct.get(request.query.productId) ?? [];
      const items = all.slice(page.offset, page.offset + page.limit);
      return sendJson(reply, 200, jsonList(items, { total: all.length, limit: page.limit, offset: page.offset, nextCursor: nextCursor(page, all.length) }));
    },
  );
}
