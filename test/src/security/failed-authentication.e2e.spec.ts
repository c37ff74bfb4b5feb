import { bearer, expectProblem, request, startBff, startSims, type RunningBff, type RunningSims } from '../support';

// Each BFF here is its own process: the addresses these tests get blocked must not block other suites.
describe('security: failed authentication is throttled per client address', () => {
  let sims: RunningSims;
  let partner: RunningBff | undefined;
  let web: RunningBff | undefined;

  beforeAll(async () => {
    sims = await startSims(['identity', 'users', 'catalog', 'orders', 'reviews']);
  });
  afterAll(async () => {
    await partner?.stop();
    await web?.stop();
    await sims?.stop();
  });

  it('partner-bff: a burst of wrong API keys turns from 401 to 429 with Retry-After, and then refuses the right key too', async () => {
    partner = await startBff('partner-bff', { catalog: sims.urls.catalog, orders: sims.urls.orders });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const res = await request(`${partner.url}/v1/products`, { headers: { 'x-api-key': `guess-${i}-${'x'.repeat(20)}` } });
      statuses.push(res.status);
    }
    // The default allows 20 failures a minute per address.
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(20).fill(429));
    const right = await request(`${partner.url}/v1/products`, { headers: { 'x-api-key': 'demo-gold-key' } });
    expectProblem(right, 429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('web-bff: forged bearer tokens are throttled the same way', async () => {
    web = await startBff('web-bff', sims.urls);
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await request(`${web.url}/api/dashboard`, { headers: bearer(`eyJhbGciOiJFUzI1NiJ9.e30.forged${i}`) })).status);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual(Array(5).fill(429));
  });
});
