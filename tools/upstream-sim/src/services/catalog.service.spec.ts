import { type RunningService, startService } from '../start-service';

describe('catalog service', () => {
  let catalog: RunningService;

  beforeAll(async () => {
    catalog = await startService('catalog', { port: 0 });
  });
  afterAll(() => catalog.close());

  const get = async (path: string) => {
    const res = await fetch(`${catalog.url}${path}`);
    return { status: res.status, body: await res.json() as any, headers: res.headers };
  };

  it('serves one product with the full shape', async () => {
    const { status, body, headers } = await get('/products/p1');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(body).toMatchObject({
      id: 'p1',
      name: expect.any(String),
      description: expect.any(String),
      price: { amount: expect.any(Number), currency: 'EUR' },
      category: expect.any(String),
      images: {
        small: 'https://img.example.com/p1/small.jpg',
        medium: 'https://img.example.com/p1/medium.jpg',
        large: 'https://img.example.com/p1/large.jpg',
      },
      stock: expect.any(Number),
      rating: expect.any(Number),
      tags: expect.any(Array),
    });
    expect(body.relatedIds.length).toBeGreaterThanOrEqual(3);
  });

  it('answers 404 JSON for an unknown product', async () => {
    const { status, body } = await get('/products/p999');
    expect(status).toBe(404);
    expect(body).toEqual({ error: 'not_found', message: 'product p999 not found' });
  });

  it('batches by ids in the requested order, skipping unknown ids', async () => {
    const { status, body } = await get('/products?ids=p3,p404,p1,p2');
    expect(status).toBe(200);
    expect(body.items.map((p: { id: string }) => p.id)).toEqual(['p3', 'p1', 'p2']);
    expect((await get('/products?ids=')).body).toEqual({ items: [] });
    const tooMany = Array.from({ length: 101 }, (_, i) => `p${i + 1}`).join(',');
    expect((await get(`/products?ids=${tooMany}`)).status).toBe(400);
  });

  it('pages with limit and offset, and with the returned cursor', async () => {
    const first = (await get('/products')).body;
    expect(first.items).toHaveLength(20);
    expect(first.total).toBe(200);
    const page = (await get('/products?limit=5&offset=10')).body;
    expect(page.items.map((p: { id: string }) => p.id)).toEqual(['p11', 'p12', 'p13', 'p14', 'p15']);
    const next = (await get(`/products?limit=5&cursor=${page.nextCursor}`)).body;
    expect(next.items[0].id).toBe('p16');
    expect((await get('/products?limit=500')).body.items).toHaveLength(100);
    expect((await get('/products?offset=195&limit=10')).body).toMatchObject({ nextCursor: null, total: 200 });
  });

  it('rejects bad paging input with 400', async () => {
    for (const query of ['limit=0', 'limit=abc', 'offset=-1', 'cursor=bogus']) {
      const { status, body } = await get(`/products?${query}`);
      expect(status).toBe(400);
      expect(body.error).toBe('invalid_request');
    }
  });

  it('filters by category', async () => {
    const { body } = await get('/products?category=books&limit=100');
    expect(body.total).toBeGreaterThan(0);
    expect(body.items.every((p: { category: string }) => p.category === 'books')).toBe(true);
    expect((await get('/products?category=nothing')).body).toMatchObject({ items: [], total: 0 });
  });

  it('reports availability; every tenth product is out of stock', async () => {
    expect((await get('/products/p10/availability')).body).toEqual({ productId: 'p10', stock: 0, available: false });
    const { body, headers } = await get('/products/p1/availability');
    expect(body).toMatchObject({ productId: 'p1', available: true });
    expect(headers.get('cache-control')).toBe('no-store');
    expect(body.stock).toBeGreaterThan(0);
    expect((await get('/products/p999/availability')).status).toBe(404);
  });

  it('serves featured products in stock', async () => {
    const { body } = await get('/products/featured');
    expect(body.items.length).toBeGreaterThanOrEqual(3);
    expect(body.items.every((p: { stock: number }) => p.stock > 0)).toBe(true);
  });

  it('recommends the same products to the same user', async () => {
    const a = (await get('/recommendations?userId=u1')).body;
    expect(a).toEqual({ userId: 'u1', productIds: expect.any(Array) });
    expect(a.productIds).toHaveLength(6);
    expect((await get('/recommendations?userId=u1')).body).toEqual(a);
    expect((await get('/recommendations?userId=u2')).body.productIds).not.toEqual(a.productIds);
    expect((await get('/recommendations')).status).toBe(400);
  });

  it('names the instance in x-sim-instance', async () => {
    expect((await get('/products/p1')).headers.get('x-sim-instance')).toBe(`catalog:${catalog.port}`);
  });
});
