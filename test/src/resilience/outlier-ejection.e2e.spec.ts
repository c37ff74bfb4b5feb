import { request, simControl, startBff, startSims, type RunningBff, type RunningSims } from '../support';
import { resilienceEnv, routeCount, sleep } from './resilience-env';

const PRODUCTS = 'GET /products';
const EJECTION_MS = 1_500;

describe('outlier ejection across two catalog instances (mobile-bff)', () => {
  let sims: RunningSims;
  let second: RunningSims;
  let mobile: RunningBff;
  let a: ReturnType<typeof simControl>;
  let b: ReturnType<typeof simControl>;

  beforeAll(async () => {
    sims = await startSims(['identity', 'catalog']);
    second = await startSims(['catalog']);
    a = simControl(sims.urls.catalog);
    b = simControl(second.urls.catalog);
    mobile = await startBff('mobile-bff', sims.urls, {
      UPSTREAM_CATALOG_URLS: `${sims.urls.catalog},${second.urls.catalog}`,
      ...resilienceEnv({
        upstreams: {
          catalog: {
            balancing: 'round-robin',
            retry: { maxAttempts: 0 },
            breaker: { enabled: false },
            outlier: { consecutiveFailures: 3, ejectionMs: EJECTION_MS, maxEjectedPercent: 50 },
          },
        },
      }),
    });
  });
  afterAll(async () => {
    await mobile?.stop();
    await Promise.all([sims?.stop(), second?.stop()]);
  });

  it('an instance that keeps failing stops receiving traffic, and comes back after the ejection', async () => {
    await Promise.all([a.clearStats(), b.clearStats()]);
    await a.setFaults({ errorRate: 1, status: 500 });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await request(`${mobile.url}/api/products?limit=${i + 1}`)).status);
    expect(routeCount(await a.stats(), PRODUCTS)).toBe(3);
    expect(routeCount(await b.stats(), PRODUCTS)).toBe(9);
    // After the third failure every request went to the healthy instance.
    expect(statuses.slice(-6)).toEqual(Array(6).fill(200));

    const health = await request(`${mobile.url}/health/ready`);
    expect(health.body.details['upstream-instances'].upstreams.catalog.map((i: { ejected: boolean }) => i.ejected)).toEqual([true, false]);

    await a.clearFaults();
    await sleep(EJECTION_MS + 300);
    for (let i = 0; i < 6; i++) expect((await request(`${mobile.url}/api/products?limit=${i + 20}`)).status).toBe(200);
    expect(routeCount(await a.stats(), PRODUCTS)).toBeGreaterThanOrEqual(5);
  });
});
