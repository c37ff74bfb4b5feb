import { Controller, Get, Module, Param } from '@nestjs/common';
import { register } from 'prom-client';
import { hashApiKey, Scopes } from '../auth';
import { ProxyModule } from '../proxy';
import { createTestBff, json, TestUpstream, type TestBff } from '../testing';

const KEYS = {
  'reader-a': ['things:read'],
  'reader-b': ['things:read'],
  nobody: [],
} as const;
const key = (id: keyof typeof KEYS) => ({ 'x-api-key': `test-${id}-key` });

@Controller('api/things')
class ThingsController {
  @Scopes('things:read') @Get(':id') thing(@Param('id') id: string) {
    return { id };
  }
}

@Module({
  imports: [ProxyModule.forRoot([{ prefix: '/api/proxied', upstream: 'svc', paths: ['/:id'], scopes: ['things:read'] }])],
  controllers: [ThingsController],
})
class AdaptersTestModule {}

// The same route policy through both adapters: the Nest guard (a controller)
// and the Fastify hook (a pass-through route registered on Fastify directly).
const ROUTES = [
  { adapter: 'Nest guard', url: '/api/things/t1', template: '/api/things/:id', reader: 'reader-a' },
  { adapter: 'Fastify hook', url: '/api/proxied/t1', template: '/api/proxied/*', reader: 'reader-b' },
] as const;

describe('the route policy behaves the same whichever adapter serves the route', () => {
  let upstream: TestUpstream;
  let bff: TestBff;

  beforeAll(async () => {
    upstream = await TestUpstream.start(json({ id: 't1' }));
    bff = await createTestBff(AdaptersTestModule, {
      app: 'adapters-bff',
      upstreams: { svc: { urls: [upstream.url] } },
      auth: {
        mode: 'api-key',
        apiKeys: Object.entries(KEYS).map(([id, scopes]) => ({ id, sha256: hashApiKey(`test-${id}-key`), tier: 'free', scopes: [...scopes] })),
      },
      throttling: { limits: [{ name: 'burst', ttlMs: 60_000, limit: 3 }], tiers: {}, defaultTier: 'free' },
    } as never);
  });
  afterAll(async () => {
    await bff?.close();
    await upstream?.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) => bff.inject({ method: 'GET', url, headers });
  /** The problem without the fields that name the request (its path and id). */
  const problemOf = (res: Awaited<ReturnType<typeof get>>) => {
    const { instance, requestId, ...rest } = res.json();
    expect([typeof instance, requestId]).toEqual(['string', res.headers['x-request-id']]);
    return { ...rest, headers: { 'www-authenticate': res.headers['www-authenticate'], 'content-type': res.headers['content-type'] } };
  };

  it.each(ROUTES)('$adapter: 401 problem+json with WWW-Authenticate, missing or invalid key', async ({ url }) => {
    for (const headers of [{}, { 'x-api-key': 'not-a-key' }] as Record<string, string>[]) {
      const res = await get(url, headers);
      expect(res.statusCode).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.headers['www-authenticate']).toBe('ApiKey realm="adapters-bff"');
      expect(res.json()).toMatchObject({ status: 401, title: 'Unauthorized', instance: url.split('?')[0] });
    }
  });

  it('gives both adapters the same problems, word for word', async () => {
    const [nest, fastify] = ROUTES.map((r) => r.url);
    for (const headers of [{}, { 'x-api-key': 'not-a-key' }, key('nobody')] as Record<string, string>[]) {
      const [a, b] = [await get(nest, headers), await get(fastify, headers)];
      expect([b.statusCode, problemOf(b)]).toEqual([a.statusCode, problemOf(a)]);
    }
  });

  it.each(ROUTES)('$adapter: 403 when the key lacks the scope, and the upstream is never called', async ({ url }) => {
    const before = upstream.count();
    const res = await get(url, key('nobody'));
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ status: 403, detail: 'missing scope things:read' });
    expect(upstream.count()).toBe(before);
  });

  it.each(ROUTES)('$adapter: RateLimit headers on 200, then 429 with Retry-After', async ({ url, reader }) => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 4; i++) {
      last = await get(url, key(reader));
      statuses.push(last.statusCode);
      if (i < 3) expect([last.headers['ratelimit-limit'], last.headers['ratelimit-remaining']]).toEqual(['3', String(2 - i)]);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(last!.json()).toMatchObject({ status: 429, detail: 'rate limit "burst" of 3 requests per 60s exceeded' });
  });

  it.each(ROUTES)('$adapter: observed under its route template in the request metric', async ({ template }) => {
    const metric = await register.getSingleMetric('gateway_http_request_duration_seconds')!.get();
    const statuses = metric.values
      .filter((v) => v.labels.app === 'adapters-bff' && v.labels.route === template && (v as { metricName?: string }).metricName?.endsWith('_count'))
      .map((v) => String(v.labels.status));
    expect(statuses).toEqual(expect.arrayContaining(['200', '401', '403', '429']));
  });
});
