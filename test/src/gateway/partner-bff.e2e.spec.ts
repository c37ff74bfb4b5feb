import { expectProblem, postJson, request, simControl, startBff, startSims, type RunningBff, type RunningSims } from '../support';

const GOLD = { 'x-api-key': 'demo-gold-key' };
const FREE = { 'x-api-key': 'demo-free-key' };

describe('partner-bff end to end', () => {
  let sims: RunningSims;
  let partner: RunningBff;

  beforeAll(async () => {
    sims = await startSims(['catalog', 'orders', 'inventory']);
    partner = await startBff('partner-bff', sims.urls);
  });
  afterAll(async () => {
    await partner?.stop();
    await sims?.stop();
  });

  it('GET /v1/products pages with next_cursor in the v1 field names', async () => {
    const first = await request(`${partner.url}/v1/products?limit=2`, { headers: FREE });
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(2);
    expect(Object.keys(first.body.data[0]).sort()).toEqual(['category', 'description', 'in_stock', 'name', 'product_id', 'unit_price']);
    const second = await request(`${partner.url}/v1/products?limit=2&cursor=${first.body.next_cursor}`, { headers: FREE });
    expect(second.body.data[0].product_id).not.toBe(first.body.data[0].product_id);
  });

  it('GET /v1/products/:id/availability answers from inventory (gRPC), live', async () => {
    const res = await request(`${partner.url}/v1/products/p7/availability`, { headers: GOLD });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ product_id: 'p7', available: true, quantity: expect.any(Number) });
    expect(res.body.quantity).toBeGreaterThan(0);
    expect((await request(`${partner.url}/v1/products/p10/availability`, { headers: GOLD })).body).toEqual({ product_id: 'p10', available: false, quantity: 0 });
    const setStock = (stock: number) =>
      fetch(`${sims.urls.inventory}/__sim/stock/p7`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stock }) });
    await setStock(0);
    expect((await request(`${partner.url}/v1/products/p7/availability`, { headers: GOLD })).body).toEqual({ product_id: 'p7', available: false, quantity: 0 });
    await setStock(res.body.quantity);
    expectProblem(await request(`${partner.url}/v1/products/p9999/availability`, { headers: GOLD }), 404);
  });

  it('GET /v1/availability?ids= answers a batch in the order asked, unknown ids in not_found', async () => {
    const res = await request(`${partner.url}/v1/availability?ids=p3,p20,p9999,p3`, { headers: GOLD });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: [
        { product_id: 'p3', available: true, quantity: expect.any(Number) },
        { product_id: 'p20', available: false, quantity: 0 },
      ],
      not_found: ['p9999'],
    });
    const inventory = await simControl(sims.urls.inventory).stats();
    expect(inventory.byRoute['/inventory.v1.Inventory/BatchGetAvailability']).toBe(1);
  });

  it('GET /v1/availability validates its ids and bounds their count: 400 before inventory is asked', async () => {
    const inventory = simControl(sims.urls.inventory);
    await inventory.clearStats();
    const many = Array.from({ length: 51 }, (_, i) => `p${i + 1}`).join(',');
    for (const query of ['', '?ids=', '?ids=p1,../p2', '?ids=p1,', `?ids=${many}`, '?ids=p1&ids=p2']) {
      expectProblem(await request(`${partner.url}/v1/availability${query}`, { headers: GOLD }), 400);
    }
    expect((await inventory.stats()).total).toBe(0);
    expectProblem(await request(`${partner.url}/v1/availability?ids=p1`), 401);
  });

  it('401 with WWW-Authenticate for a missing or wrong API key; a bearer token is no substitute', async () => {
    const attempts: Record<string, string>[] = [{}, { 'x-api-key': 'demo-gold-kez' }, { authorization: 'Bearer demo-gold-key' }];
    for (const headers of attempts) {
      const res = await request(`${partner.url}/v1/products`, { headers });
      expectProblem(res, 401);
      expect(res.headers.get('www-authenticate')).toMatch(/^ApiKey realm=/);
      expect(res.text).not.toContain('demo-gold');
    }
  });

  it('403 for POST /v1/orders with a key lacking orders:write', async () => {
    const res = await postJson(`${partner.url}/v1/orders`, { customer_id: 'u3', lines: [{ product_id: 'p5', quantity: 1 }] }, FREE);
    expectProblem(res, 403);
  });

  it('POST /v1/orders with the same Idempotency-Key returns the first order and creates no second one', async () => {
    const orders = simControl(sims.urls.orders);
    await orders.clearStats();
    const key = `idem-${Date.now()}`;
    const body = { customer_id: 'u3', lines: [{ product_id: 'p5', quantity: 1 }], external_reference: 'PO-1' };
    const first = await postJson(`${partner.url}/v1/orders`, body, { ...GOLD, 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(first.body).toEqual(expect.objectContaining({ order_id: expect.any(String), customer_id: 'u3', external_reference: 'PO-1' }));
    const again = await postJson(`${partner.url}/v1/orders`, body, { ...GOLD, 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    const posts = (await orders.stats()).lastRequests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);

    const different = await postJson(`${partner.url}/v1/orders`, { ...body, lines: [{ product_id: 'p6', quantity: 2 }] }, { ...GOLD, 'idempotency-key': key });
    expectProblem(different, 409);
    const fresh = await postJson(`${partner.url}/v1/orders`, body, { ...GOLD, 'idempotency-key': `${key}-2` });
    expect(fresh.body.order_id).not.toBe(first.body.order_id);
  });

  it('400 for an invalid order body and a malformed Idempotency-Key', async () => {
    expectProblem(await postJson(`${partner.url}/v1/orders`, { customer_id: 'alice', lines: [] }, GOLD), 400);
    expectProblem(
      await postJson(`${partner.url}/v1/orders`, { customer_id: 'u3', lines: [{ product_id: 'p5', quantity: 1 }] }, { ...GOLD, 'idempotency-key': 'a b' }),
      400,
    );
  });

  it('sends the partner identity upstream, never the key (as gRPC metadata to inventory)', async () => {
    const inventory = simControl(sims.urls.inventory);
    await inventory.clearStats();
    await request(`${partner.url}/v1/products/p8/availability`, { headers: GOLD });
    const seen = (await inventory.stats()).lastRequests.pop()!;
    expect(seen.headers['x-partner-id']).toBe('demo-gold');
    expect(seen.headers['x-partner-tier']).toBe('gold');
    expect(JSON.stringify(seen.headers)).not.toContain('demo-gold-key');
  });
});
