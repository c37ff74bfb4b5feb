import { hashApiKey } from '@gateway/kernel';
import { createTestBff, json, TestUpstream, type TestBff } from '@gateway/kernel/testing';
import { AppModule } from '../app.module';
import { PARTNER_BFF_DEFAULTS } from '../partner-bff.config';

const KEYS = {
  acme: { key: 'spec-acme-key', customers: ['u3', 'u4'] },
  undeclared: { key: 'spec-undeclared-key', customers: [] as string[] },
};
const as = (name: keyof typeof KEYS) => ({ 'x-api-key': KEYS[name].key, 'content-type': 'application/json' });
const order = (customer: unknown) => JSON.stringify({ customer_id: customer, lines: [{ product_id: 'p5', quantity: 1 }] });

describe('partner orders are bound to the API key\'s own customers', () => {
  let bff: TestBff;
  let orders: TestUpstream;

  beforeAll(async () => {
    orders = await TestUpstream.start(json({ id: 'o9', userId: 'u3', status: 'placed', items: [], total: 0, currency: 'EUR', createdAt: '2026-01-01T00:00:00Z' }, { status: 201 }));
    bff = await createTestBff(AppModule, PARTNER_BFF_DEFAULTS, {
      upstreams: { orders: { urls: [orders.url] } },
      auth: {
        apiKeys: Object.entries(KEYS).map(([id, { key, customers }]) => ({ id, sha256: hashApiKey(key), tier: 'gold', scopes: ['orders:write'], customers })),
      },
    });
  });
  afterAll(async () => {
    await bff?.close();
    await orders?.close();
  });
  beforeEach(() => orders.reset());

  it('places an order for a declared customer', async () => {
    const res = await bff.inject({ method: 'POST', url: '/v1/orders', headers: as('acme'), payload: order('u3') });
    expect(res.statusCode).toBe(201);
    expect(orders.count('/orders')).toBe(1);
  });

  it('403 problem+json for any other customer, nothing sent upstream, the id not echoed', async () => {
    const res = await bff.inject({ method: 'POST', url: '/v1/orders', headers: as('acme'), payload: order('u9') });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 403, detail: 'customer_id is not a customer of this caller' });
    expect(res.body).not.toContain('u9');
    expect(orders.count()).toBe(0);
  });

  it('a key with no customers declared places no order at all', async () => {
    const res = await bff.inject({ method: 'POST', url: '/v1/orders', headers: as('undeclared'), payload: order('u3') });
    expect(res.statusCode).toBe(403);
    expect(orders.count()).toBe(0);
  });

  it('a malformed body is still 400, validated before the customer is checked', async () => {
    const res = await bff.inject({ method: 'POST', url: '/v1/orders', headers: as('acme'), payload: order(['u3']) });
    expect(res.statusCode).toBe(400);
  });

  it('a refused order leaves its Idempotency-Key free for a corrected retry', async () => {
    const headers = { ...as('acme'), 'idempotency-key': 'spec-own-customer-1' };
    expect((await bff.inject({ method: 'POST', url: '/v1/orders', headers, payload: order('u9') })).statusCode).toBe(403);
    const retried = await bff.inject({ method: 'POST', url: '/v1/orders', headers, payload: order('u4') });
    expect([retried.statusCode, retried.headers['idempotency-replayed']]).toEqual([201, undefined]);
  });
});
