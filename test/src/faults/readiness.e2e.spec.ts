import { freePort, request, startBff, startSims, type RunningSims } from '../support';

describe('faults: readiness follows only the upstreams an app cannot serve without', () => {
  let sims: RunningSims;

  beforeAll(async () => {
    sims = await startSims(['identity', 'users', 'catalog', 'orders', 'reviews', 'inventory']);
  });
  afterAll(() => sims?.stop());

  it('web-bff stays ready with reviews unreachable, reports it, and still serves the product page degraded', async () => {
    const web = await startBff('web-bff', { ...sims.urls, reviews: `http://127.0.0.1:${await freePort()}` });
    try {
      const ready = await request(`${web.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(ready.body.details['upstream:reviews']).toMatchObject({ status: 'up', reachable: false, critical: false });
      const page = await request(`${web.url}/api/products/p1`);
      expect([page.status, page.headers.get('x-aggregation-complete')]).toEqual([200, 'false']);
    } finally {
      await web.stop();
    }
  });

  it('an upstream made optional by env (UPSTREAM_<NAME>_CRITICAL=false) no longer decides readiness', async () => {
    const web = await startBff('web-bff', { ...sims.urls, orders: `http://127.0.0.1:${await freePort()}` }, { UPSTREAM_ORDERS_CRITICAL: 'false' });
    try {
      expect((await request(`${web.url}/health/ready`)).status).toBe(200);
    } finally {
      await web.stop();
    }
  });
});
