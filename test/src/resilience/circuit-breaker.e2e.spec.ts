import { expectProblem, request, simControl, startBff, startSims, type RunningBff, type RunningSims } from '../support';
import { resilienceEnv, routeCount, sleep } from './resilience-env';

const PRODUCTS = 'GET /products';
const HALF_OPEN_AFTER_MS = 3_000;
/** /health/ready caches its evaluation this long (HealthController). */
const READY_CACHE_MS = 1_000;

describe('circuit breaker (mobile-bff, catalog)', () => {
  let sims: RunningSims;
  let mobile: RunningBff;
  let catalog: ReturnType<typeof simControl>;
  // The only catalog instance: metrics name it by position, never by address.
  const instance = '0';

  beforeAll(async () => {
    // All of mobile-bff's upstreams, so readiness depends on the breaker alone.
    sims = await startSims(['identity', 'users', 'catalog', 'orders']);
    catalog = simControl(sims.urls.catalog);
    mobile = await startBff(
      'mobile-bff',
      sims.urls,
      resilienceEnv({
        upstreams: { catalog: { retry: { maxAttempts: 0 }, breaker: { consecutiveFailures: 3, halfOpenAfterMs: HALF_OPEN_AFTER_MS } } },
      }),
    );
  });
  afterAll(async () => {
    await mobile?.stop();
    await sims?.stop();
  });

  const breakerGauge = async () => {
    const text = (await request(`${mobile.managementUrl}/metrics`)).text;
    const line = text.split('\n').find((l) => l.startsWith('gateway_breaker_state{') && l.includes('upstream="catalog"') && l.includes(`instance="${instance}"`));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };
  const breakerInReadiness = async () => {
    const res = await request(`${mobile.url}/health/ready`);
    return { status: res.status, breaker: res.body?.details?.['upstream-instances']?.upstreams?.catalog?.[0]?.breaker };
  };

  it('opens after consecutive failures, sheds at once, half-opens, and closes on a good probe', async () => {
    expect(await breakerGauge()).toBe(0);
    expect(await breakerInReadiness()).toEqual({ status: 200, breaker: 'closed' });
    await catalog.setFaults({ errorRate: 1, status: 503 });
    for (let i = 0; i < 3; i++) expectProblem(await request(`${mobile.url}/api/products?limit=${i + 1}`), 503);
    expect(await breakerGauge()).toBe(2);

    // Open: answered at once without asking the catalog (which now also takes a second to fail).
    await catalog.clearStats();
    await catalog.setFaults({ errorRate: 1, status: 503, latencyMs: 1_000 });
    const started = Date.now();
    const shed = await request(`${mobile.url}/api/products?limit=9`);
    expectProblem(shed, 503);
    expect(shed.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(Date.now() - started).toBeLessThan(500);
    expect(routeCount(await catalog.stats(), PRODUCTS)).toBe(0);

    // The open breaker is reported as data; the app stays ready (the catalog's /health still answers).
    await sleep(READY_CACHE_MS + 100);
    expect(await breakerInReadiness()).toEqual({ status: 200, breaker: 'open' });

    await catalog.clearFaults();
    await sleep(HALF_OPEN_AFTER_MS + 200);
    expect(await breakerGauge()).toBe(1);
    const probe = await request(`${mobile.url}/api/products?limit=4`);
    expect(probe.status).toBe(200);
    expect(await breakerGauge()).toBe(0);
    await sleep(READY_CACHE_MS + 100);
    expect((await breakerInReadiness()).breaker).toBe('closed');
    expect((await request(`${mobile.url}/api/products?limit=5`)).status).toBe(200);
  });
});
