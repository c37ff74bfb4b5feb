import { expectProblem, request, simControl, startBff, startSims, type RunningBff, type RunningSims } from '../support';
import { resilienceEnv, routeCount } from './resilience-env';

const PRODUCTS = 'GET /products';

describe('retries (mobile-bff /api/products, catalog required)', () => {
  let sims: RunningSims;
  let catalog: ReturnType<typeof simControl>;
  const bffs: RunningBff[] = [];

  /** A mobile-bff whose catalog retries with these settings, breaker off so only retries shape the traffic. */
  const mobileWithRetry = async (retry: Record<string, unknown>) => {
    const bff = await startBff(
      'mobile-bff',
      sims.urls,
      resilienceEnv({ upstreams: { catalog: { breaker: { enabled: false }, retry: { baseDelayMs: 5, maxDelayMs: 20, ...retry } } } }),
    );
    bffs.push(bff);
    return bff;
  };

  beforeAll(async () => {
    sims = await startSims(['identity', 'catalog']);
    catalog = simControl(sims.urls.catalog);
  });
  afterAll(async () => {
    await Promise.all(bffs.map((b) => b.stop()));
    await sims?.stop();
  });
  beforeEach(async () => {
    await catalog.clearFaults();
    await catalog.clearStats();
  });

  it('retries a GET answered 503 up to maxAttempts, then answers 503', async () => {
    const mobile = await mobileWithRetry({ maxAttempts: 2, minRetriesPerSecond: 100 });
    await catalog.setFaults({ errorRate: 1, status: 503 });
    expectProblem(await request(`${mobile.url}/api/products?limit=3`), 503);
    expect(routeCount(await catalog.stats(), PRODUCTS)).toBe(3);
  });

  it('does not retry a 500 (an answer, not a passing failure)', async () => {
    const mobile = await mobileWithRetry({ maxAttempts: 2, minRetriesPerSecond: 100 });
    await catalog.setFaults({ errorRate: 1, status: 500 });
    expectProblem(await request(`${mobile.url}/api/products?limit=3`), 502);
    expect(routeCount(await catalog.stats(), PRODUCTS)).toBe(1);
  });

  it('stops retrying a failing upstream at the retry budget', async () => {
    const mobile = await mobileWithRetry({ maxAttempts: 3, budgetRatio: 0.2, minRetriesPerSecond: 0 });
    await catalog.setFaults({ errorRate: 1, status: 503 });
    for (let i = 0; i < 30; i++) expectProblem(await request(`${mobile.url}/api/products?limit=${(i % 40) + 1}`), 503);
    const seen = routeCount(await catalog.stats(), PRODUCTS);
    // Retries happened, but at most 20% of the 30 requests; with no budget the sim would see up to 120.
    expect(seen).toBeGreaterThan(30);
    expect(seen).toBeLessThanOrEqual(36);
  });
});
