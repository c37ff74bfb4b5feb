import { bearer, configFileEnv, expectProblem, request, simControl, startBff, startSims, userToken, withoutResilience, type RunningBff, type RunningSims } from '../support';

const KEY = { 'x-api-key': 'demo-gold-key' };
const GET = '/inventory.v1.Inventory/GetAvailability';
const BATCH = '/inventory.v1.Inventory/BatchGetAvailability';
const LEAKS = /db-primary|10\.0\.3\.17|pg-pool|x-debug/;
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/**
 * A gRPC upstream behind all three BFFs, end to end: the built apps, the
 * inventory sim on its gRPC port, faults set through the sim's control routes.
 */
describe('inventory over gRPC (built BFFs, inventory sim)', () => {
  let sims: RunningSims;
  let partner: RunningBff;
  let web: RunningBff;
  let mobile: RunningBff;
  let inventory: ReturnType<typeof simControl>;
  let token: string;

  beforeAll(async () => {
    sims = await startSims();
    inventory = simControl(sims.urls.inventory);
    // About the upstream path: no limits, and no load shedding while three BFFs start at once on a busy machine.
    const quiet = { throttling: { enabled: false }, overload: { enabled: false } };
    const started = await Promise.allSettled([
      // Two more attempts with a budget no test runs out of, no breaker: each failure is seen as it is.
      // partner-bff takes API keys only: no identity provider for it.
      startBff('partner-bff', { ...sims.urls, identity: undefined }, configFileEnv({ ...quiet, upstreams: { inventory: { breaker: { enabled: false }, retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 10, budgetRatio: 1, minRetriesPerSecond: 100 } } } })),
      startBff('web-bff', sims.urls, configFileEnv({ ...quiet, upstreams: withoutResilience('inventory') })),
      startBff('mobile-bff', sims.urls, configFileEnv({ ...quiet, upstreams: { inventory: { retry: { maxAttempts: 0 }, breaker: { consecutiveFailures: 3, halfOpenAfterMs: 60_000 } } } })),
    ]);
    // Whatever started is stopped in afterAll, even when another did not start.
    [partner, web, mobile] = started.map((result) => (result.status === 'fulfilled' ? result.value : undefined)) as RunningBff[];
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    token = await userToken(sims.urls.identity);
  });
  afterAll(async () => {
    await Promise.all([partner?.stop(), web?.stop(), mobile?.stop()]);
    await sims?.stop();
  });
  beforeEach(async () => {
    await inventory.clearFaults();
    await inventory.clearStats();
  });

  const availability = (id = 'p1', headers: Record<string, string> = {}) => request(`${partner.url}/v1/products/${id}/availability`, { headers: { ...KEY, ...headers } });
  const calls = async (path: string) => (await inventory.stats()).byRoute[path] ?? 0;

  describe('each gRPC status reaches the client as its HTTP status, in problem+json with no upstream detail', () => {
    it.each([
      ['UNAVAILABLE', 503],
      ['DEADLINE_EXCEEDED', 504],
      ['NOT_FOUND', 404],
      ['INVALID_ARGUMENT', 400],
      ['PERMISSION_DENIED', 403],
      ['UNAUTHENTICATED', 401],
      ['INTERNAL', 502],
      ['UNKNOWN', 502],
      ['DATA_LOSS', 502],
      ['RESOURCE_EXHAUSTED', 502],
    ])('%s -> %s', async (status, httpStatus) => {
      await inventory.setFaults({ errorRate: 1, status });
      const res = await availability();
      expectProblem(res, httpStatus);
      expect(res.text).not.toMatch(LEAKS);
    });

    it.each([
      ['garbage', 502],
      ['hang', 504],
      ['down', 503],
      ['reset', 503],
    ])('mode %s -> %s, and answers again once the sim is back', async (mode, httpStatus) => {
      await inventory.setFaults({ mode });
      const res = await availability();
      expectProblem(res, httpStatus);
      expect(res.text).not.toMatch(LEAKS);
      await inventory.clearFaults();
      // A dropped channel redials on its own backoff (at most 2 s); the first calls may still find it down.
      await eventually(async () => (await availability()).status === 200);
    });
  });

  it("the route's deadline reaches the sim as the gRPC deadline, with request id, trace and caller as metadata", async () => {
    const res = await availability('p2', { 'x-request-id': 'grpc-e2e-1', traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01` });
    expect(res.status).toBe(200);
    const [seen] = (await inventory.stats()).lastRequests as any[];
    expect(seen.url).toBe(GET);
    // partner-availability's deadline is 1 s; the call left a little later.
    expect(seen.deadline.remainingMs).toBeGreaterThan(0);
    expect(seen.deadline.remainingMs).toBeLessThanOrEqual(1_000);
    expect(seen.headers['x-request-id']).toBe('grpc-e2e-1');
    expect(seen.headers.traceparent).toContain(TRACE_ID);
    expect(seen.headers['x-partner-id']).toBe('demo-gold');
  });

  it('retries only what is safe: UNAVAILABLE is tried again, INTERNAL and DEADLINE_EXCEEDED are not', async () => {
    await inventory.setFaults({ errorRate: 1, status: 'UNAVAILABLE' });
    expectProblem(await availability(), 503);
    expect(await calls(GET)).toBe(3);
    for (const status of ['INTERNAL', 'DEADLINE_EXCEEDED', 'NOT_FOUND']) {
      await inventory.clearStats();
      await inventory.setFaults({ errorRate: 1, status });
      await availability();
      expect(await calls(GET)).toBe(1);
    }
  });

  describe('inside aggregations', () => {
    it('web-bff: the product page shows live stock, and without inventory it is a degraded 200', async () => {
      const up = await request(`${web.url}/api/products/p10`);
      expect(up.status).toBe(200);
      expect(up.headers.get('x-aggregation-complete')).toBe('true');
      expect(up.body.product.availability).toEqual({ inStock: false, stock: 0 });

      await inventory.setFaults({ errorRate: 1, status: 'UNAVAILABLE' });
      const down = await request(`${web.url}/api/products/p10`);
      expect(down.status).toBe(200);
      expect(down.headers.get('x-aggregation-complete')).toBe('false');
      expect(down.body.meta.missing).toEqual(['stock']);
      expect(down.body.product).toEqual(expect.objectContaining({ id: 'p10', availability: null }));
      expect(down.text).not.toMatch(LEAKS);
    });

    it('partner-bff: a required gRPC source failing fails the request with its mapped status', async () => {
      await inventory.setFaults({ errorRate: 1, status: 'PERMISSION_DENIED' });
      expectProblem(await request(`${partner.url}/v1/availability?ids=p1,p2`, { headers: KEY }), 403);
    });

    it('mobile-bff: featured items carry inStock from one batch call; null when inventory cannot say', async () => {
      const home = await request(`${mobile.url}/api/home`, { headers: bearer(token) });
      expect(home.status).toBe(200);
      expect(home.headers.get('x-aggregation-complete')).toBe('true');
      const [first] = home.body.featured;
      expect(first.inStock).toBe(true);
      expect(await calls(BATCH)).toBe(1);

      await fetch(`${sims.urls.inventory}/__sim/stock/${first.id}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"stock":0}' });
      const after = await request(`${mobile.url}/api/home`, { headers: bearer(token) });
      expect(after.body.featured.find((p: { id: string }) => p.id === first.id).inStock).toBe(false);

      await inventory.setFaults({ errorRate: 1, status: 'INTERNAL' });
      const degraded = await request(`${mobile.url}/api/home`, { headers: bearer(token) });
      expect(degraded.status).toBe(200);
      expect(degraded.headers.get('x-aggregation-complete')).toBe('false');
      expect(degraded.body.featured.every((p: { inStock: unknown }) => p.inStock === null)).toBe(true);
      // A good call again, so the breaker suite below starts from no failures in a row.
      await inventory.clearFaults();
      expect((await request(`${mobile.url}/api/home`, { headers: bearer(token) })).headers.get('x-aggregation-complete')).toBe('true');
    });
  });

  it("mobile-bff: UNAVAILABLE opens the instance's breaker; then inventory is not called, and the page still answers", async () => {
    await inventory.setFaults({ errorRate: 1, status: 'UNAVAILABLE' });
    for (let i = 0; i < 3; i++) expect((await request(`${mobile.url}/api/home`, { headers: bearer(token) })).status).toBe(200);
    expect(await calls(BATCH)).toBe(3);
    await inventory.clearStats();
    const shed = await request(`${mobile.url}/api/home`, { headers: bearer(token) });
    expect(shed.status).toBe(200);
    expect(shed.headers.get('x-aggregation-complete')).toBe('false');
    expect(await calls(BATCH)).toBe(0);
    const metrics = (await request(`${mobile.managementUrl}/metrics`)).text;
    const gauge = metrics.split('\n').find((line) => line.startsWith('gateway_breaker_state{') && line.includes('upstream="inventory"'));
    expect(gauge?.split(' ').pop()).toBe('2');
    const ready = await request(`${mobile.url}/health/ready`);
    expect(ready.status).toBe(200);
  });
});

/** Polls `condition` until it holds, for at most `ms` (then fails). */
async function eventually(condition: () => Promise<boolean>, ms = 6_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
