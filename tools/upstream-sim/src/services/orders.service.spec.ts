import { getCatalogIndex } from '../data/catalog-index';
import { type RunningService, startService } from '../start-service';

describe('orders service', () => {
  let orders: RunningService;

  beforeEach(async () => {
    orders = await startService('orders', { port: 0 });
  });
  afterEach(() => orders.close());

  const create = (body: unknown) =>
    fetch(`${orders.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const list = async (query: string) => (await fetch(`${orders.url}/orders?${query}`)).json() as any;

  it("lists a user's orders, newest first", async () => {
    const body = await list('userId=u1&limit=100');
    expect(body.total).toBeGreaterThanOrEqual(5);
    expect(body.total).toBeLessThanOrEqual(12);
    expect(body.items.every((o: { userId: string }) => o.userId === 'u1')).toBe(true);
    const dates = body.items.map((o: { createdAt: string }) => o.createdAt);
    expect(dates).toEqual([...dates].sort().reverse());
    expect((await list('userId=u1&limit=2')).items).toHaveLength(2);
  });

  it('creates an order priced from the catalog, then serves it', async () => {
    const { price: p1 } = getCatalogIndex().byId.get('p1')!;
    const { price: p2 } = getCatalogIndex().byId.get('p2')!;
    const res = await create({ userId: 'u2', items: [{ productId: 'p1', quantity: 2 }, { productId: 'p2', quantity: 1 }] });
    expect(res.status).toBe(201);
    const order = await res.json() as any;
    expect(order).toMatchObject({
      id: expect.stringMatching(/^o\d+$/),
      userId: 'u2',
      status: 'created',
      items: [
        { productId: 'p1', quantity: 2, unitPrice: p1.amount },
        { productId: 'p2', quantity: 1, unitPrice: p2.amount },
      ],
      total: Math.round((p1.amount * 2 + p2.amount) * 100) / 100,
    });
    expect(res.headers.get('location')).toBe(`/orders/${order.id}`);
    expect(Date.now() - Date.parse(order.createdAt)).toBeLessThan(5000);

    expect(await (await fetch(`${orders.url}/orders/${order.id}`)).json() as any).toEqual(order);
    expect((await list('userId=u2&limit=1')).items[0]).toEqual(order);

    const second = await (await create({ userId: 'u2', items: [{ productId: 'p3', quantity: 1 }] })).json() as any;
    expect(Number(second.id.slice(1))).toBe(Number(order.id.slice(1)) + 1);
  });

  it.each([
    [{}, 400],
    [{ userId: 'u1', items: [] }, 400],
    [{ userId: 'u1', items: [{ productId: 'p1', quantity: 0 }] }, 400],
    [{ userId: 'u1', items: [{ productId: 'p1' }] }, 400],
    [{ userId: 'u999', items: [{ productId: 'p1', quantity: 1 }] }, 400],
    [{ userId: 'u1', items: [{ productId: 'p999', quantity: 1 }] }, 400],
    [{ userId: 'u1', items: [{ productId: 'p10', quantity: 1 }] }, 409],
  ])('rejects %j with %i', async (body, status) => {
    const res = await create(body);
    expect(res.status).toBe(status);
    expect((await res.json() as any).error).toEqual(expect.any(String));
  });

  it('rejects a body that is not JSON with 400', async () => {
    const res = await fetch(`${orders.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"userId":' });
    expect(res.status).toBe(400);
  });

  it('requires userId to list, and 404s unknown orders', async () => {
    expect((await fetch(`${orders.url}/orders`)).status).toBe(400);
    expect((await fetch(`${orders.url}/orders/o99999`)).status).toBe(404);
    expect((await fetch(`${orders.url}/orders/o1`)).status).toBe(200);
  });
});
