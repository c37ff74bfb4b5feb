import { bearer, request, startBff, startSims, userToken, type RunningBff, type RunningSims } from '../support';

describe('security: response headers', () => {
  let sims: RunningSims;
  let web: RunningBff;
  let mobile: RunningBff;
  let token: string;

  beforeAll(async () => {
    sims = await startSims(['identity', 'users', 'catalog', 'orders', 'reviews', 'inventory']);
    web = await startBff('web-bff', sims.urls);
    mobile = await startBff('mobile-bff', sims.urls);
    token = await userToken(sims.urls.identity);
  });
  afterAll(async () => {
    await web?.stop();
    await mobile?.stop();
    await sims?.stop();
  });

  it('every answer says nosniff: pages, pass-through, problems, health', async () => {
    const urls = [`${web.url}/api/products/p1`, `${web.url}/api/catalog/products/p1`, `${web.url}/api/dashboard`, `${web.url}/nope`, `${web.url}/health/live`, `${mobile.url}/api/products?limit=2`];
    for (const url of urls) expect([url, (await request(url)).headers.get('x-content-type-options')]).toEqual([url, 'nosniff']);
  });

  it('personalised answers are private and never stored', async () => {
    for (const url of [`${web.url}/api/dashboard`, `${mobile.url}/api/home`]) {
      const res = await request(url, { headers: bearer(token) });
      expect([url, res.status, res.headers.get('cache-control')]).toEqual([url, 200, 'private, no-store']);
    }
  });

  it('a 404 never echoes the path it was asked for', async () => {
    const res = await request(`${web.url}/%3Cscript%3Ealert(1)%3C%2Fscript%3E`);
    expect(res.status).toBe(404);
    expect(res.body.detail).not.toMatch(/script/i);
  });
});
