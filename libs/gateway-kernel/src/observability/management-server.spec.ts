import { Module } from '@nestjs/common';
import { ProxyModule } from '../proxy';
import { createTestBff, freePort, json, reset, TestUpstream, type TestBff } from '../testing';
import { ManagementServer } from './management-server';

@Module({ imports: [ProxyModule.forRoot([{ prefix: '/api/catalog', upstream: 'catalog', paths: ['/products/:id'], public: true }])] })
class MetricsTestModule {}

/** An IPv4 or bracketed IPv6 address, a `host:port`, a URL, or a local host name: what no label value may hold. */
const ADDRESS_LIKE = /(\d{1,3}\.){3}\d{1,3}|\[[0-9a-f:]+\]|[\w.-]+:\d{2,5}\b|\w+:\/\/|localhost/i;

describe('metrics are kept off the clients\' port and free of addresses', () => {
  let healthy: TestUpstream;
  let failing: TestUpstream;
  let bff: TestBff;
  let publicUrl: string;
  let managementUrl: string;

  beforeAll(async () => {
    [healthy, failing] = await Promise.all([TestUpstream.start(json({ id: 'p1' })), TestUpstream.start(reset)]);
    const managementPort = await freePort();
    bff = await createTestBff(MetricsTestModule, {
      app: 'metrics-test',
      http: { host: '127.0.0.1', managementPort },
      upstreams: { catalog: { urls: [healthy.url, failing.url], retry: { maxAttempts: 0 } } },
      auth: { mode: 'api-key', apiKeys: [{ id: 'k', sha256: 'a'.repeat(64), tier: 'free' }] },
      throttling: { enabled: false },
    } as never);
    await bff.app.listen({ port: 0, host: '127.0.0.1' });
    publicUrl = await bff.app.getUrl();
    expect(await bff.app.get(ManagementServer).listen()).toBe(managementPort);
    managementUrl = `http://127.0.0.1:${managementPort}`;
    // Calls to both instances (one answering, one resetting), so per-instance series exist.
    for (let i = 0; i < 6; i++) await fetch(`${publicUrl}/api/catalog/products/p1`).then((r) => r.arrayBuffer());
  });
  afterAll(async () => {
    await bff?.close();
    await Promise.all([healthy?.close(), failing?.close()]);
  });

  it('GET /metrics on the clients\' port is 404 problem+json, never the registry', async () => {
    const res = await fetch(`${publicUrl}/metrics`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.text()).not.toContain('gateway_');
  });

  it('GET /metrics on the management port serves the registry, upstream series labelled by name', async () => {
    const res = await fetch(`${managementUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^gateway_upstream_request_duration_seconds_count\{[^}]*upstream="catalog"/m);
    expect(text).toMatch(/^gateway_breaker_state\{upstream="catalog",upstream_instance="1",app="metrics-test"\} /m);
    expect(text).toContain('gateway_http_request_duration_seconds_count{app="metrics-test",route="/api/catalog/*"');
  });

  it('no label value of any series looks like an address, host:port or URL', async () => {
    const text = await (await fetch(`${managementUrl}/metrics`)).text();
    const values = [...text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, name, value]) => `${name}=${value}`);
    expect(values.length).toBeGreaterThan(20);
    expect(values.filter((v) => ADDRESS_LIKE.test(v.slice(v.indexOf('=') + 1)))).toEqual([]);
    const [, healthyPort] = healthy.url.match(/:(\d+)$/)!;
    expect(text).not.toContain(healthyPort);
  });

  it('the management port serves nothing but /metrics', async () => {
    expect((await fetch(`${managementUrl}/api/catalog/products/p1`)).status).toBe(404);
    expect((await fetch(`${managementUrl}/metrics`, { method: 'POST' })).status).toBe(404);
  });
});

describe('management port 0', () => {
  it('serves metrics nowhere: nothing listens', async () => {
    const bff = await createTestBff(MetricsTestModule, { app: 'metrics-off', http: { managementPort: 0 }, auth: { mode: 'api-key', apiKeys: [{ id: 'k', sha256: 'a'.repeat(64), tier: 'free' }] }, upstreams: { catalog: { urls: ['http://127.0.0.1:9'] } } } as never);
    try {
      expect(await bff.app.get(ManagementServer).listen()).toBeUndefined();
      expect(bff.app.get(ManagementServer).fastify.server.listening).toBe(false);
    } finally {
      await bff.close();
    }
  });
});
