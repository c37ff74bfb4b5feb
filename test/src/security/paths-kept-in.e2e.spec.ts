import { request as httpRequest } from 'node:http';
import { expectProblem, request, simControl, startBff, startSims, type RunningBff, type RunningSims } from '../support';

/** Sends the path exactly as written (fetch would normalise dot segments and escapes first). */
function rawGet(base: string, path: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    httpRequest({ host: hostname, port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('security: a pass-through route forwards only the paths it declares', () => {
  let sims: RunningSims;
  let web: RunningBff;

  beforeAll(async () => {
    sims = await startSims(['identity', 'users', 'catalog', 'orders', 'reviews']);
    web = await startBff('web-bff', sims.urls);
  });
  afterAll(async () => {
    await web?.stop();
    await sims?.stop();
  });

  it("never serves the upstream's internals: /__sim/*, /health", async () => {
    const catalog = simControl(sims.urls.catalog);
    await catalog.clearStats();
    for (const path of ['/api/catalog/__sim/stats', '/api/catalog/__sim/faults', '/api/catalog/health', '/api/catalog/orders']) {
      const res = await request(`${web.url}${path}`);
      expectProblem(res, 404);
      expect(res.body.detail).not.toContain(path);
    }
    expect((await catalog.stats()).lastRequests.filter((r) => r.url.startsWith('/__sim') || r.url.startsWith('/health'))).toEqual([]);
    expect((await request(`${web.url}/api/catalog/products/p1`)).status).toBe(200);
  });

  it.each([
    '/api/catalog//products/p1',
    '/api/catalog/products/..;/..;/__sim/stats',
    '/api/catalog/products/%c0%ae%c0%ae/__sim/stats',
    '/api/catalog/products/%ef%bc%8e%ef%bc%8e/__sim/stats',
    '/api/catalog/products/%2e%2e/__sim/stats',
  ])('refuses %s with 400 before it reaches the upstream', async (path) => {
    expect(await rawGet(web.url, path)).toBe(400);
  });
});
