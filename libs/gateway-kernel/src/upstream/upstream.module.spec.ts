import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ResponseCacheStore } from '../caching/response-cache-store.interface';
import { MemoryResponseCacheStore } from '../caching/memory-response-cache.store';
import { GatewayConfigModule, loadGatewayConfig } from '../config';
import { ReadinessRegistry } from '../health/readiness.registry';
import { json, TestUpstream } from '../testing/test-upstream';
import { UpstreamModule } from './upstream.module';
import { UpstreamRegistry } from './upstream.registry';

@Global()
@Module({ providers: [ReadinessRegistry], exports: [ReadinessRegistry] })
class FakeHealthModule {}

describe('UpstreamModule', () => {
  let upstream: TestUpstream;
  beforeAll(async () => {
    upstream = await TestUpstream.start(json({}, { status: 503 }));
  });
  afterAll(() => upstream.close());

  const compile = async () => {
    const config = loadGatewayConfig(
      {
        app: 'test-bff',
        upstreams: { svc: { urls: [upstream.url], retry: { maxAttempts: 0 }, breaker: { consecutiveFailures: 1 } } },
        auth: { mode: 'api-key', apiKeys: [{ id: 'k', sha256: 'a'.repeat(64), tier: 'free' }] },
      },
      {},
    );
    const moduleRef = await Test.createTestingModule({ imports: [GatewayConfigModule.forRoot(config), FakeHealthModule, UpstreamModule] }).compile();
    await moduleRef.init();
    return moduleRef;
  };

  it('gives every upstream the memory response cache when no Redis is configured', async () => {
    const moduleRef = await compile();
    try {
      expect(moduleRef.get(ResponseCacheStore)).toBeInstanceOf(MemoryResponseCacheStore);
    } finally {
      await moduleRef.close();
    }
  });

  it('reports breaker and ejection state per instance in readiness, as data that stays up', async () => {
    const moduleRef = await compile();
    try {
      const svc = moduleRef.get(UpstreamRegistry).get('svc');
      await svc.http.get('/x').catch(() => undefined);
      const results = await Promise.all(moduleRef.get(ReadinessRegistry).all().map((check) => check()));
      expect(results).toContainEqual({
        'upstream-instances': { status: 'up', upstreams: { svc: [{ instance: 0, breaker: 'open', ejected: false }] } },
      });
    } finally {
      await moduleRef.close();
    }
  });

  it("probes each upstream's instances through their transport, down when none answers below 500", async () => {
    const moduleRef = await compile();
    try {
      const results = await Promise.all(moduleRef.get(ReadinessRegistry).all().map((check) => check()));
      expect(results).toContainEqual({ 'upstream:svc': { status: 'down', reachable: false, critical: true, instances: 1, up: 0 } });
      upstream.handle(json({ ok: true }));
      const again = await Promise.all(moduleRef.get(ReadinessRegistry).all().map((check) => check()));
      expect(again).toContainEqual({ 'upstream:svc': { status: 'up', reachable: true, critical: true, instances: 1, up: 1 } });
      expect(upstream.seen.at(-1)?.url).toBe('/health');
    } finally {
      upstream.handle(json({}, { status: 503 }));
      await moduleRef.close();
    }
  });
});
