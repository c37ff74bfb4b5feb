import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Body, Controller, Get, Module, Param, Post } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { Matches } from 'class-validator';
import { Public, Scopes, hashApiKey } from '../auth';
import { ProxyModule } from '../proxy';
import { createTestBff, json, TestUpstream, type TestBff } from '../testing';

class ThingParams {
  @ApiProperty({ example: 't1' })
  @Matches(/^t\d+$/)
  id: string;
}

class CreateThingDto {
  @ApiProperty({ example: 'lamp' })
  @Matches(/^[a-z]+$/)
  name: string;
}

@Controller('api/things')
class ThingsController {
  @Public() @Get(':id') one(@Param() params: ThingParams) {
    return { id: params.id };
  }

  @Scopes('things:write') @Post() create(@Body() body: CreateThingDto) {
    return body;
  }

  @Public() @SkipThrottle() @Get() list() {
    return [];
  }
}

@Module({
  imports: [ProxyModule.forRoot([{ prefix: '/api/catalog', upstream: 'catalog', paths: ['/products', '/products/:id'], public: true }])],
  controllers: [ThingsController],
})
class DocsTestModule {}

describe('API docs and metrics of a BFF', () => {
  let upstream: TestUpstream;
  let bff: TestBff;
  let doc: any;

  beforeAll(async () => {
    upstream = await TestUpstream.start(json({ items: [] }));
    bff = await createTestBff(DocsTestModule, {
      app: 'docs-test',
      upstreams: { catalog: { urls: [upstream.url] } },
      auth: { mode: 'api-key', apiKeys: [{ id: 'k1', sha256: hashApiKey('test-key-1'), tier: 'free', scopes: [] }] },
      throttling: { limits: [{ name: 'burst', ttlMs: 60_000, limit: 3 }], tiers: {}, defaultTier: 'free' },
    } as never);
    const res = await bff.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    doc = res.json();
  });
  afterAll(async () => {
    await bff?.close();
    await upstream?.close();
  });

  it('lists every route, the proxy routes included, each path parameter declared', () => {
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/things/{id}', '/api/things', '/health/live', '/health/ready']));
    // Metrics live on the management port, so the clients' document never lists them.
    expect(Object.keys(doc.paths)).not.toContain('/metrics');
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api/catalog/'))).not.toHaveLength(0);
    expect(doc.paths['/api/things/{id}'].get.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(item)) {
        const declared = (op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name);
        expect([path, declared.sort()]).toEqual([path, [...names].sort()]);
      }
    }
  });

  it('describes the API key scheme and requires it only where the route does', () => {
    expect(doc.components.securitySchemes.apiKey).toEqual(expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-api-key' }));
    const create = doc.paths['/api/things'].post;
    expect(create.security).toEqual([{ apiKey: [] }]);
    expect(create.responses['401'].headers['WWW-Authenticate']).toBeDefined();
    expect(create.responses['403'].description).toContain('things:write');
    const one = doc.paths['/api/things/{id}'].get;
    expect(one.security).toBeUndefined();
    expect(one.responses['401']).toBeUndefined();
  });

  it('describes errors as problem+json with the shared ProblemDetails schema', () => {
    const ref = { $ref: '#/components/schemas/ProblemDetails' };
    for (const status of ['400', '502', '503', '504']) {
      expect(doc.paths['/api/things/{id}'].get.responses[status].content['application/problem+json'].schema).toEqual(ref);
    }
    expect(Object.keys(doc.components.schemas.ProblemDetails.properties)).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance', 'requestId']),
    );
  });

  it('derives each error answer from what the route declares: 404 for a named resource, 409/413/415 for a write with a body, 500 everywhere', () => {
    const one = doc.paths['/api/things/{id}'].get.responses;
    const create = doc.paths['/api/things'].post.responses;
    const list = doc.paths['/api/things'].get.responses;
    expect(Object.keys(one)).toEqual(expect.arrayContaining(['400', '404', '500', '502', '503', '504']));
    expect(Object.keys(one)).not.toEqual(expect.arrayContaining(['409']));
    expect(Object.keys(create)).toEqual(expect.arrayContaining(['400', '401', '403', '409', '413', '415', '429', '500']));
    expect(create['404']).toBeUndefined();
    expect(list['400']).toBeUndefined();
    expect(list['413']).toBeUndefined();
    expect(doc.paths['/health/live'].get.responses['500'].content['application/problem+json']).toBeDefined();
    expect(doc.paths['/health/live'].get.responses['400']).toBeUndefined();
    const proxied = doc.paths['/api/catalog/products/{id}'].get.responses;
    expect(Object.keys(proxied)).toEqual(expect.arrayContaining(['400', '404', '429', '500', '502', '503', '504']));
    expect(proxied['200'].content['application/json'].schema).toEqual({});
  });

  it('names the release, the server, and every tag it uses', () => {
    expect(doc.info.version).toBe(JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')).version);
    expect(doc.info.version).not.toBe('0.0.0');
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/', 'x-internal': false })]);
    const used = new Set(Object.values<Record<string, any>>(doc.paths).flatMap((item) => Object.values<any>(item).flatMap((op) => op.tags ?? [])));
    expect(doc.tags.map((t: { name: string }) => t.name).sort()).toEqual([...used].sort());
  });

  it('describes the rate-limit headers on throttled routes, and no 429 where the limits do not apply', () => {
    const one = doc.paths['/api/things/{id}'].get;
    expect(Object.keys(one.responses['429'].headers)).toEqual(
      expect.arrayContaining(['Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']),
    );
    expect(Object.keys(one.responses['200'].headers)).toEqual(['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset']);
    expect(doc.paths['/api/things'].get.responses['429']).toBeUndefined();
    expect(doc.paths['/health/ready'].get.responses['429']).toBeUndefined();
  });

  it('serves the UI, and neither docs nor metrics (management port) need credentials or count against the limits', async () => {
    const ui = await bff.inject({ method: 'GET', url: '/docs' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
    for (let i = 0; i < 6; i++) {
      expect((await bff.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(200);
      expect((await bff.injectManagement({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    }
  });

  it('counts requests in the duration histogram by route template, never the raw path', async () => {
    const count = async (labels: string) => {
      const text = (await bff.injectManagement({ method: 'GET', url: '/metrics' })).body;
      const line = text.split('\n').find((l) => l.startsWith(`gateway_http_request_duration_seconds_count{${labels}}`));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const labels = 'app="docs-test",route="/api/things/:id",method="GET",status="200"';
    const before = await count(labels);
    await bff.inject({ method: 'GET', url: '/api/things/t1' });
    await bff.inject({ method: 'GET', url: '/api/things/t2' });
    expect(await count(labels)).toBe(before + 2);
    await bff.inject({ method: 'GET', url: '/no/such/path/42' });
    const text = (await bff.injectManagement({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain('gateway_http_request_duration_seconds_count{app="docs-test",route="unmatched",method="GET",status="404"}');
    expect(text).not.toContain('/api/things/t1');
    expect(text).not.toContain('/no/such/path');
    expect(text).toMatch(/^process_cpu_seconds_total\{app="docs-test"\} /m);
  });
});
