import type { FastifyInstance } from 'fastify';
import { badRequest, notFound, sendJson } from '../app/http-replies';
import { nextCursor, PAGE_QUERY_PROPERTIES, type PageQuery, readPage } from '../app/pagination';
import { getCatalogIndex } from '../data/catalog-index';
import { jsonList } from '../data/json-list';
import { hashSeed, Prng } from '../data/prng';

export const MAX_BATCH_IDS = 100;
const RECOMMENDATION_COUNT = 6;

interface ProductsQuery extends PageQuery {
  ids?: string;
  category?: string;
}

/**
 * catalog: product pages, single products, batches by id (in the order asked,
 * unknown ids skipped), availability, featured products and recommendations.
 */
export function catalogRoutes(app: FastifyInstance): void {
  const catalog = getCatalogIndex();
  const inStock = catalog.products.filter((p) => p.stock > 0);
  const featuredJson = jsonList(catalog.featured.map((p) => catalog.jsonById.get(p.id) as string));
  const categoriesJson = JSON.stringify({ items: [...catalog.byCategory.keys()].sort() });

  app.get<{ Querystring: ProductsQuery }>(
    '/products',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { ...PAGE_QUERY_PROPERTIES, ids: { type: 'string' }, category: { type: 'string' } },
        },
      },
    },
    async (request, reply) => {
      const { ids, category } = request.query;
      if (ids !== undefined) {
        const wanted = [...new Set(ids.split(',').map((id) => id.trim()).filter(Boolean))];
        if (wanted.length > MAX_BATCH_IDS) return badRequest(reply, `at most ${MAX_BATCH_IDS} ids per batch`);
        const found = wanted.map((id) => catalog.jsonById.get(id)).filter((json) => json !== undefined);
        return sendJson(reply, 200, jsonList(found));
      }
      const page = readPage(request.query);
      if ('error' in page) return badRequest(reply, page.error);
      const products = category === undefined ? catalog.products : (catalog.byCategory.get(category) ?? []);
      const items = products.slice(page.offset, page.offset + page.limit).map((p) => catalog.jsonById.get(p.id) as string);
      const total = products.length;
      return sendJson(reply, 200, jsonList(items, { total, limit: page.limit, offset: page.offset, nextCursor: nextCursor(page, total) }));
    },
  );

  app.get('/products/featured', async (_request, reply) => sendJson(reply, 200, featuredJson));

  app.get('/categories', async (_request, reply) => sendJson(reply, 200, categoriesJson));

  app.get<{ Params: { id: string } }>('/products/:id', async (request, reply) => {
    const json = catalog.jsonById.get(request.params.id);
    return json ? sendJson(reply, 200, json) : notFound(reply, `product ${request.params.id} not found`);
  });

  app.get<{ Params: { id: string } }>('/products/:id/availability', async (request, reply) => {
    const product = catalog.byId.get(request.params.id);
    if (!product) return notFound(reply, `product ${request.params.id} not found`);
    // Stock is live data: callers (and the gateway's cache) must ask every time.
    reply.header('cache-control', 'no-store');
    return { productId: product.id, stock: product.stock, available: product.stock > 0 };
  });

  app.get<{ Querystring: { userId?: string } }>(
    '/recommendations',
    { schema: { querystring: { type: 'object', required: ['userId'], properties: { userId: { type: 'string', minLength: 1 } } } } },
    async (request) => {
      const { userId } = request.query as { userId: string };
      // Same user, same picks: seeded by the user id.
      const productIds = new Prng(hashSeed(userId)).sample(inStock, RECOMMENDATION_COUNT).map((p) => p.id);
      return { userId, productIds };
    },
  );
}
