import type { FastifyInstance } from 'fastify';
import { notFound } from '../app/http-replies';
import { INTERNAL_ROUTE } from '../app/route-config';
import { StockChangeError, type StockLedger } from './stock-ledger';

/**
 * `GET /__sim/stock/:sku` and `PUT /__sim/stock/:sku` `{ "stock": n }`: how a
 * test (or a person at a terminal) makes stock change, so
 * `WatchAvailability` has something to say.
 */
export function registerStockRoutes(app: FastifyInstance, ledger: StockLedger): void {
  app.get<{ Params: { sku: string } }>('/__sim/stock/:sku', INTERNAL_ROUTE, async (request, reply) => {
    return ledger.get(request.params.sku) ?? notFound(reply, `sku ${request.params.sku} not found`);
  });

  app.put<{ Params: { sku: string }; Body: { stock?: unknown } }>('/__sim/stock/:sku', INTERNAL_ROUTE, async (request, reply) => {
    const { sku } = request.params;
    if (!ledger.get(sku)) return notFound(reply, `sku ${sku} not found`);
    const body = request.body;
    if (body === null || typeof body !== 'object' || Object.keys(body).some((key) => key !== 'stock')) {
      return reply.code(400).send({ error: 'invalid_request', message: 'body must be {"stock": <integer>}' });
    }
    try {
      return ledger.set(sku, body.stock);
    } catch (error) {
      if (error instanceof StockChangeError) return reply.code(400).send({ error: 'invalid_request', message: error.message });
      throw error;
    }
  });
}
