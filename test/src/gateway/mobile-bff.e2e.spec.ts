import { bearer, expectProblem, request, simControl, startBff, startSims, userToken, type RunningBff, type RunningSims } from '../support';

describe('mobile-bff end to end', () => {
  let sims: RunningSims;
  let mobile: RunningBff;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    sims = await startSims();
    mobile = await startBff('mobile-bff', sims.urls);
    alice = await userToken(sims.urls.identity, 'alice');
    bob = await userToken(sims.urls.identity, 'bob');
  });
  afterAll(async () => {
    await mobile?.stop();
    await sims?.stop();
  });
  afterEach(() => simControl(sims.urls.catalog).clearFaults());

  it('GET /api/home is compact: name, small avatar, last 3 orders, featured with small images', async () => {
    const res = await request(`${mobile.url}/api/home`, { headers: bearer(alice) });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['avatar', 'featured', 'meta', 'name', 'orders']);
    expect(res.body.avatar).toContain('size=64');
    expect(res.body.orders).toHaveLength(3);
    for (const order of res.body.orders) {
      expect(Object.keys(order).sort()).toEqual(['id', 'status', 'total']);
      expect(order.total).toMatch(/^\d+\.\d{2} EUR$/);
    }
    expect(res.body.featured.length).toBeGreaterThan(0);
    expect(res.body.featured[0].image).toContain('small');
    expect(res.body.featured[0].description).toBeUndefined();
  });

  it('GET /api/home answers without featured products when the catalog is down', async () => {
    await simControl(sims.urls.catalog).setFaults({ mode: 'down' });
    const res = await request(`${mobile.url}/api/home`, { headers: bearer(alice) });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-aggregation-complete')).toBe('false');
    // Featured items' stock depends on them: not asked, so missing too.
    expect(res.body.meta.missing).toEqual(['featured', 'stock']);
    expect(res.body.featured).toEqual([]);
  });

  it('GET /api/orders/:id returns the caller’s order compact, and 404 for someone else’s', async () => {
    const home = await request(`${mobile.url}/api/home`, { headers: bearer(alice) });
    const id = home.body.orders[0].id;
    const mine = await request(`${mobile.url}/api/orders/${id}`, { headers: bearer(alice) });
    expect(mine.status).toBe(200);
    expect(Object.keys(mine.body).sort()).toEqual(['id', 'itemCount', 'placed', 'status', 'total']);
    expect(mine.body.placed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expectProblem(await request(`${mobile.url}/api/orders/${id}`, { headers: bearer(bob) }), 404);
    expectProblem(await request(`${mobile.url}/api/orders/x1`, { headers: bearer(alice) }), 400);
  });

  it('GET /api/products pages with opaque cursors until the end', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url = `${mobile.url}/api/products?limit=50${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await request(url);
      expect(res.status).toBe(200);
      for (const item of res.body.items) seen.add(item.id);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 20);
    const total = (await request(`${sims.urls.catalog}/products?limit=1`)).body.total;
    expect(seen.size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 50));
  });

  it('400 for a tampered cursor or a limit out of range', async () => {
    expectProblem(await request(`${mobile.url}/api/products?cursor=%24%24`), 400);
    expectProblem(await request(`${mobile.url}/api/products?limit=500`), 400);
  });

  it('401 for the home screen without a token', async () => {
    expectProblem(await request(`${mobile.url}/api/home`), 401);
  });
});
