import { request, simControl, startBff, startSims, type RunningBff, type RunningSims } from '../support';
import { resilienceEnv, routeCount } from './resilience-env';

const KEY = { 'x-api-key': 'demo-gold-key' };

describe("the response cache honours the upstream's Cache-Control (partner-bff, catalog with a 30 s per-source TTL)", () => {
  let sims: RunningSims;
  let partner: RunningBff;
  let catalog: ReturnType<typeof simControl>;

  beforeAll(async () => {
    sims = await startSims(['catalog', 'orders', 'inventory']);
    catalog = simControl(sims.urls.catalog);
    partner = await startBff('partner-bff', sims.urls, resilienceEnv({ upstreams: { catalog: { cacheTtlMs: 30_000 } } }));
  });
  afterAll(async () => {
    await partner?.stop();
    await sims?.stop();
  });
  beforeEach(() => catalog.clearStats());

  it('stores what the upstream lets it store: the product page is asked once', async () => {
    for (let i = 0; i < 3; i++) expect((await request(`${partner.url}/v1/products?limit=3`, { headers: KEY })).status).toBe(200);
    expect(routeCount(await catalog.stats(), 'GET /products')).toBe(1);
  });

  it('never stores live data: availability (inventory, over gRPC) is asked every time', async () => {
    const inventory = simControl(sims.urls.inventory);
    await inventory.clearStats();
    for (let i = 0; i < 3; i++) {
      const res = await request(`${partner.url}/v1/products/p4/availability`, { headers: KEY });
      expect(res.status).toBe(200);
      expect(res.body.product_id).toBe('p4');
    }
    expect(routeCount(await inventory.stats(), '/inventory.v1.Inventory/GetAvailability')).toBe(3);
  });
});
