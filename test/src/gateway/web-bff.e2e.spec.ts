import { bearer, configFileEnv, expectProblem, freePort, withoutResilience, postJson, request, signedToken, simControl, startBff, startSims, userToken, type RunningBff, type RunningSims } from '../support';

describe('web-bff end to end', () => {
  let sims: RunningSims;
  let web: RunningBff;
  let token: string;

  beforeAll(async () => {
    sims = await startSims();
    // Breakers and retries have suites of their own; here each failure must show as it is.
    web = await startBff('web-bff', sims.urls, configFileEnv({ upstreams: withoutResilience('users', 'catalog', 'orders', 'reviews') }));
    token = await userToken(sims.urls.identity, 'alice');
  });
  afterAll(async () => {
    await web?.stop();
    await sims?.stop();
  });
  afterEach(async () => {
    await Promise.all(['users', 'catalog', 'orders', 'reviews'].map((s) => simControl(sims.urls[s as 'users']).clearFaults()));
  });

  describe('GET /api/dashboard', () => {
    it('aggregates profile, recent orders with their products, and recommendations for the caller', async () => {
      const res = await request(`${web.url}/api/dashboard`, { headers: bearer(token) });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-aggregation-complete')).toBe('true');
      expect(res.body.user).toEqual(expect.objectContaining({ id: 'u1', displayName: expect.any(String), avatarUrl: expect.any(String) }));
      expect(res.body.recentOrders.length).toBeGreaterThan(0);
      expect(res.body.recentOrders.length).toBeLessThanOrEqual(5);
      const line = res.body.recentOrders[0].items[0];
      expect(line.product).toEqual(expect.objectContaining({ id: line.productId, name: expect.any(String), image: expect.stringContaining('medium') }));
      expect(res.body.recommendations.length).toBeGreaterThan(0);
      expect(res.body.meta).toEqual({ complete: true, missing: [] });
    });

    it('fetches the products of all recent orders in one batch call', async () => {
      const catalog = simControl(sims.urls.catalog);
      await catalog.clearStats();
      await request(`${web.url}/api/dashboard`, { headers: bearer(token) });
      const stats = await catalog.stats();
      const batches = stats.lastRequests.filter((r) => r.url.startsWith('/products?ids='));
      // One batch for the orders' products and one for the recommended ones.
      expect(batches).toHaveLength(2);
    });

    it('stays 200 with complete=false naming the missing optional source when reviews... recommendations fail', async () => {
      await simControl(sims.urls.catalog).setFaults({ errorRate: 1, status: 500 });
      const res = await request(`${web.url}/api/dashboard`, { headers: bearer(token) });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-aggregation-complete')).toBe('false');
      expect(res.body.meta.complete).toBe(false);
      expect(res.body.meta.missing).toEqual(expect.arrayContaining(['orderProducts', 'recommendations', 'recommendedProducts']));
      expect(res.body.user.id).toBe('u1');
      expect(res.text).not.toContain('db-primary');
    });

    it('fails with 502 problem+json when a required source answers 500, without the upstream body', async () => {
      await simControl(sims.urls.users).setFaults({ errorRate: 1, status: 500 });
      const res = await request(`${web.url}/api/dashboard`, { headers: bearer(token) });
      expectProblem(res, 502);
    });

    it('answers 502 when a required upstream is down, resets, or sends garbage', async () => {
      for (const mode of ['down', 'reset', 'garbage']) {
        await simControl(sims.urls.users).setFaults({ mode });
        const res = await request(`${web.url}/api/dashboard`, { headers: bearer(token) });
        expectProblem(res, 502);
      }
    });

    it('answers 504 at the deadline when a required upstream hangs', async () => {
      await simControl(sims.urls.users).setFaults({ mode: 'hang' });
      const started = Date.now();
      const res = await request(`${web.url}/api/dashboard`, { headers: bearer(token) });
      expectProblem(res, 504);
      // The profile source's own timeout (800 ms) is the bound, far below the client's patience.
      expect(Date.now() - started).toBeLessThan(3_000);
    });
  });

  describe('authentication', () => {
    it('401 with WWW-Authenticate for a missing token', async () => {
      const res = await request(`${web.url}/api/dashboard`);
      expectProblem(res, 401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    });

    it('401 for an expired token, a forged one, and one for another audience', async () => {
      const now = Math.floor(Date.now() / 1000);
      const expired = await signedToken(sims.urls.identity, { sub: 'u1', aud: 'multi-bff', iss: sims.urls.identity, exp: now - 3600, iat: now - 7200 });
      const forged = await signedToken(sims.urls.identity, { sub: 'u1', aud: 'multi-bff', iss: sims.urls.identity }, { key: 'foreign' });
      const otherAudience = await signedToken(sims.urls.identity, { sub: 'u1', aud: 'someone-else', iss: sims.urls.identity });
      for (const bad of [expired, forged, otherAudience, 'not.a.jwt', `${token}x`]) {
        const res = await request(`${web.url}/api/dashboard`, { headers: bearer(bad) });
        expectProblem(res, 401);
        expect(res.headers.get('www-authenticate')).toContain('invalid_token');
        expect(res.text).not.toContain(bad);
      }
    });
  });

  describe('GET /api/products/:id (public)', () => {
    it('returns the product with reviews and related items, without a token', async () => {
      const res = await request(`${web.url}/api/products/p1`);
      expect(res.status).toBe(200);
      expect(res.body.product).toEqual(expect.objectContaining({ id: 'p1', description: expect.any(String), images: expect.any(Object) }));
      expect(res.body.reviews).toEqual(expect.objectContaining({ items: expect.any(Array), count: expect.any(Number) }));
      expect(res.body.related.length).toBeGreaterThan(0);
      expect(res.headers.get('x-aggregation-complete')).toBe('true');
    });

    it('marks the page incomplete when reviews are down', async () => {
      await simControl(sims.urls.reviews).setFaults({ mode: 'down' });
      const res = await request(`${web.url}/api/products/p2`);
      expect(res.status).toBe(200);
      expect(res.body.meta).toEqual({ complete: false, missing: ['reviews'] });
    });

    it('400 for a malformed id and 404 problem for an unknown one', async () => {
      expectProblem(await request(`${web.url}/api/products/DROP%20TABLE`), 400);
      expectProblem(await request(`${web.url}/api/products/p999999`), 404);
    });
  });

  describe('pass-through /api/catalog/*', () => {
    it('streams the upstream answer through unchanged', async () => {
      const direct = await request(`${sims.urls.catalog}/products?limit=3&offset=6`);
      const res = await request(`${web.url}/api/catalog/products?limit=3&offset=6`);
      expect(res.status).toBe(200);
      expect(res.text).toBe(direct.text);
      expect(res.headers.get('x-sim-instance')).toBeNull();
    });

    it('strips hop-by-hop headers, credentials and spoofed identity, and sets X-Forwarded-*', async () => {
      const catalog = simControl(sims.urls.catalog);
      await catalog.clearStats();
      // node:http, since fetch refuses to send a Connection header naming other headers.
      await rawGet(web.port, '/api/catalog/products/p3', {
        connection: 'keep-alive, x-secret-hop',
        'x-secret-hop': 'must-not-pass',
        'keep-alive': 'timeout=5',
        'x-user-id': 'u2',
        'x-forwarded-for': '6.6.6.6',
        'x-request-id': 'client-chosen-id-123',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        ...bearer(token),
      });
      const seen = (await catalog.stats()).lastRequests.find((r) => r.url === '/products/p3')!;
      expect(seen).toBeDefined();
      expect(seen.headers['x-secret-hop']).toBeUndefined();
      expect(seen.headers['keep-alive']).toBeUndefined();
      expect(seen.headers['authorization']).toBeUndefined();
      expect(seen.headers['x-user-id']).toBe('u1');
      expect(seen.headers['x-forwarded-for']).toBe('127.0.0.1');
      expect(seen.headers['x-forwarded-proto']).toBe('http');
      expect(seen.headers['x-forwarded-host']).toBe(`127.0.0.1:${web.port}`);
      expect(seen.headers['x-request-id']).toBe('client-chosen-id-123');
      expect(seen.headers['traceparent']).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
    });

    it.each([
      ['/api/catalog/../users/u1'],
      ['/api/catalog/%2e%2e/users/u1'],
      ['/api/catalog/%2E%2E%2Fusers'],
      ['/api/catalog/products%2f..%2f..%2fadmin'],
      ['/api/catalog/%252e%252e/users'],
      ['/api/catalog/.%2e/users'],
      ['/api/catalog/products/..\\admin'],
    ])('refuses %s with 400 before reaching the upstream', async (path) => {
      const catalog = simControl(sims.urls.catalog);
      await catalog.clearStats();
      const res = await rawGet(web.port, path);
      expect(res.status).toBe(400);
      expect(res.body).toContain('problem');
      expect((await catalog.stats()).total).toBe(0);
    });

    it('maps upstream failures to problem+json: 502 for 500 without its body, 504 for a hang', async () => {
      const catalog = simControl(sims.urls.catalog);
      await catalog.setFaults({ errorRate: 1, status: 500 });
      expectProblem(await request(`${web.url}/api/catalog/products/p1`), 502);
      await catalog.setFaults({ mode: 'down' });
      expectProblem(await request(`${web.url}/api/catalog/products/p1`), 502);
    });

    it('passes the upstream 404 through', async () => {
      const res = await request(`${web.url}/api/catalog/products/p999999`);
      expect(res.status).toBe(404);
    });
  });

  describe('POST /api/orders', () => {
    it('creates an order for the caller from a valid DTO', async () => {
      const res = await postJson(`${web.url}/api/orders`, { items: [{ productId: 'p5', quantity: 1 }] }, bearer(token));
      expect(res.status).toBe(201);
      expect(res.body).toEqual(expect.objectContaining({ id: expect.stringMatching(/^o\d+$/), status: 'created' }));
      const orders = simControl(sims.urls.orders);
      const seen = (await orders.stats()).lastRequests.filter((r) => r.method === 'POST').pop()!;
      expect(seen.headers['x-user-id']).toBe('u1');
    });

    it.each([
      [{}, 'items'],
      [{ items: [] }, 'items'],
      [{ items: [{ productId: 'p5', quantity: 0 }] }, 'quantity'],
      [{ items: [{ productId: 'nope', quantity: 1 }] }, 'productId'],
      [{ items: [{ productId: 'p5', quantity: 1 }], userId: 'u2' }, 'userId'],
    ])('400 problem listing the reason for %j', async (body, field) => {
      const res = await postJson(`${web.url}/api/orders`, body, bearer(token));
      expectProblem(res, 400);
      expect(res.body.errors.join(' ')).toContain(field);
    });

    it('400 for a body that is not JSON and 413 for one over the limit', async () => {
      const broken = await request(`${web.url}/api/orders`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: '{"items": [' });
      expectProblem(broken, 400);
      const huge = await postJson(`${web.url}/api/orders`, { items: [], pad: 'x'.repeat(2 * 1024 * 1024) }, bearer(token));
      expectProblem(huge, 413);
    });

    it('401 without a token', async () => {
      expectProblem(await postJson(`${web.url}/api/orders`, { items: [{ productId: 'p5', quantity: 1 }] }), 401);
    });
  });

  describe('contract', () => {
    it('echoes a well-formed x-request-id and replaces a malformed one', async () => {
      const kept = await request(`${web.url}/health/live`, { headers: { 'x-request-id': 'abc-123-def-456' } });
      expect(kept.headers.get('x-request-id')).toBe('abc-123-def-456');
      const replaced = await request(`${web.url}/health/live`, { headers: { 'x-request-id': 'bad id\twith spaces' } });
      expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('404 problem+json for an unknown route', async () => {
      expectProblem(await request(`${web.url}/nope`), 404);
    });

    it('reports ready while upstreams answer, and not ready when one cannot be reached', async () => {
      expect((await request(`${web.url}/health/ready`)).status).toBe(200);
      const closedPort = await freePort();
      const orphan = await startBff('web-bff', { ...sims.urls, orders: `http://127.0.0.1:${closedPort}` });
      try {
        const res = await request(`${orphan.url}/health/ready`);
        expect(res.status).toBe(503);
        expect(JSON.stringify(res.body)).toContain('upstream:orders');
        expect((await request(`${orphan.url}/health/live`)).status).toBe(200);
      } finally {
        await orphan.stop();
      }
    });
  });
});

/** A GET with the path exactly as written (fetch would normalise `..`). */
function rawGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const http = require('node:http') as typeof import('node:http');
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
