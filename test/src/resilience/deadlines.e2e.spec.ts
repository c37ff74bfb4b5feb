import { bearer, expectProblem, request, simControl, startBff, startSims, userToken, type RunningBff, type RunningSims } from '../support';

// mobile-bff's home plan: deadline 1200ms; profile (users) required, 700ms; orders optional, 700ms.
const HOME_DEADLINE_MS = 1_200;

describe('deadlines and cancellation (mobile-bff /api/home)', () => {
  let sims: RunningSims;
  let mobile: RunningBff;
  let token: string;

  beforeAll(async () => {
    sims = await startSims(['identity', 'users', 'catalog', 'orders', 'inventory']);
    mobile = await startBff('mobile-bff', sims.urls);
    token = await userToken(sims.urls.identity, 'alice');
  });
  afterAll(async () => {
    await mobile?.stop();
    await sims?.stop();
  });
  afterEach(async () => {
    await Promise.all((['users', 'orders', 'catalog'] as const).map((s) => simControl(sims.urls[s]).clearFaults()));
  });

  it('a hung optional source gives complete=false inside the deadline', async () => {
    await simControl(sims.urls.orders).setFaults({ mode: 'hang' });
    const started = Date.now();
    const res = await request(`${mobile.url}/api/home`, { headers: bearer(token) });
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.headers.get('x-aggregation-complete')).toBe('false');
    expect(res.body.meta).toEqual({ complete: false, missing: ['orders'] });
    expect(res.body.name).toEqual(expect.any(String));
    expect(elapsed).toBeLessThan(HOME_DEADLINE_MS + 300);
  });

  it('a hung required source gives 504 at the deadline', async () => {
    await simControl(sims.urls.users).setFaults({ mode: 'hang' });
    const started = Date.now();
    const res = await request(`${mobile.url}/api/home`, { headers: bearer(token) });
    expectProblem(res, 504);
    expect(Date.now() - started).toBeLessThan(HOME_DEADLINE_MS + 300);
  });

  it('tells each upstream how much of the deadline is left', async () => {
    const users = simControl(sims.urls.users);
    await users.clearStats();
    await request(`${mobile.url}/api/home`, { headers: bearer(token) });
    const [call] = (await users.stats()).lastRequests;
    const budget = Number(call.headers['x-request-timeout-ms']);
    // The profile source's own 700ms, less what passed before it was called.
    expect(budget).toBeGreaterThan(0);
    expect(budget).toBeLessThanOrEqual(700);
  });
});
