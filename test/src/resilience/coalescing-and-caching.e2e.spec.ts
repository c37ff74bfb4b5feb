import { expectProblem, request, simControl, startBff, startSims, type RunningBff, type RunningSims } from '../support';
import { resilienceEnv, routeCount, sleep } from './resilience-env';

const PRODUCTS = 'GET /products';
const TTL_MS = 1_000;

describe('coalescing and the response cache (mobile-bff /api/products, catalog shared)', () => {
  let sims: RunningSims;
  let mobile: RunningBff;
  let catalog: ReturnType<typeof simControl>;

  beforeAll(async () => {
    sims = await startSims(['identity', 'catalog']);
    catalog = simControl(sims.urls.catalog);
    mobile = await startBff(
      'mobile-bff',
      sims.urls,
      resilienceEnv({
        upstreams: { catalog: { cacheTtlMs: TTL_MS, cache: { staleIfErrorMs: 30_000 }, retry: { maxAttempts: 0 }, breaker: { enabled: false } } },
      }),
    );
  });
  afterAll(async () => {
    await mobile?.stop();
    await sims?.stop();
  });
  beforeEach(async () => {
    await catalog.clearFaults();
    await catalog.clearStats();
  });

  it('ten identical concurrent GETs reach the upstream once', async () => {
    await catalog.setFaults({ latencyMs: 300 });
    const responses = await Promise.all(Array.from({ length: 10 }, () => request(`${mobile.url}/api/products?limit=7`)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(routeCount(await catalog.stats(), PRODUCTS)).toBe(1);
  });

  it('answers from the cache within the TTL and asks again after it', async () => {
    const first = await request(`${mobile.url}/api/products?limit=11`);
    const second = await request(`${mobile.url}/api/products?limit=11`);
    expect(second.body).toEqual(first.body);
    expect(routeCount(await catalog.stats(), PRODUCTS)).toBe(1);
    await sleep(TTL_MS + 200);
    await request(`${mobile.url}/api/products?limit=11`);
    expect(routeCount(await catalog.stats(), PRODUCTS)).toBe(2);
  });

  it('serves the stale entry when the upstream fails, within the stale window', async () => {
    const fresh = await request(`${mobile.url}/api/products?limit=12`);
    expect(fresh.status).toBe(200);
    await sleep(TTL_MS + 200);

    await catalog.setFaults({ errorRate: 1, status: 500 });
    const on500 = await request(`${mobile.url}/api/products?limit=12`);
    expect(on500.status).toBe(200);
    expect(on500.body).toEqual(fresh.body);

    await catalog.setFaults({ mode: 'down' });
    const onDown = await request(`${mobile.url}/api/products?limit=12`);
    expect(onDown.status).toBe(200);
    expect(onDown.body).toEqual(fresh.body);
    // The catalog was asked each time (the entry was stale), and failed.
    expect(routeCount(await catalog.stats(), PRODUCTS)).toBeGreaterThanOrEqual(2);

    // Nothing cached for this page: the failure reaches the client.
    expectProblem(await request(`${mobile.url}/api/products?limit=13`), 502);
  });
});

describe('the response cache in Redis (REDIS_URL), shared by replicas', () => {
  let sims: RunningSims;
  const replicas: RunningBff[] = [];

  beforeAll(async () => {
    sims = await startSims(['identity', 'catalog']);
    const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const env = resilienceEnv({
      redis: { url: redisUrl, keyPrefix: `e2e:${process.pid}:${Date.now()}:` },
      upstreams: { catalog: { cacheTtlMs: 30_000 } },
    });
    for (let i = 0; i < 2; i++) replicas.push(await startBff('mobile-bff', sims.urls, env));
  });
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await sims?.stop();
  });

  it('an answer one replica cached is a hit on the other', async () => {
    const catalog = simControl(sims.urls.catalog);
    await catalog.clearStats();
    const [a, b] = replicas;
    const first = await request(`${a.url}/api/products?limit=14`);
    await sleep(50);
    const second = await request(`${b.url}/api/products?limit=14`);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(routeCount(await catalog.stats(), PRODUCTS)).toBe(1);
  });
});
