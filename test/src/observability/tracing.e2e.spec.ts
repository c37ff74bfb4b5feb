import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { request, simControl, startBff, startSims, type RunningBff, type RunningSims } from '../support';

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  service: string;
}

const SERVER = 2;
const CLIENT = 3;

/** An OTLP/HTTP (JSON) trace receiver on a local port: what a collector would get. */
async function startOtlpReceiver(): Promise<{ url: string; spans: ExportedSpan[]; close(): Promise<void> }> {
  const spans: ExportedSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      if (req.url === '/v1/traces') {
        for (const resourceSpans of JSON.parse(body.toString('utf8')).resourceSpans ?? []) {
          const service = resourceSpans.resource.attributes.find((a: { key: string }) => a.key === 'service.name')?.value.stringValue;
          for (const scope of resourceSpans.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) {
              const attributes = Object.fromEntries(
                (span.attributes ?? []).map((a: { key: string; value: Record<string, unknown> }) => [a.key, Object.values(a.value)[0]]),
              );
              spans.push({ ...span, attributes, service });
            }
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 8_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A BFF with OpenTelemetry on (the standard OTEL_* variables), exporting to a local receiver. */
describe('tracing with OpenTelemetry', () => {
  let sims: RunningSims;
  let web: RunningBff;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    sims = await startSims(['identity', 'users', 'catalog', 'orders', 'reviews', 'inventory']);
    web = await startBff('web-bff', sims.urls, {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'web-bff-e2e',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    });
  }, 60_000);
  afterAll(async () => {
    await web?.stop();
    await sims?.stop();
    await receiver?.close();
  });

  it('continues the client\u2019s trace: a server span per request, a client span per upstream call, whose id the upstream receives', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const clientSpan = 'b7ad6b7169203331';
    const catalog = simControl(sims.urls.catalog);
    await catalog.clearStats();
    const res = await request(`${web.url}/api/products/p51`, { headers: { traceparent: `00-${traceId}-${clientSpan}-01` } });
    expect(res.status).toBe(200);

    const server = await until('the server span', () =>
      receiver.spans.find((s) => s.traceId === traceId && s.kind === SERVER),
    );
    expect(server).toEqual(expect.objectContaining({ name: 'GET /api/products/:id', parentSpanId: clientSpan, service: 'web-bff-e2e' }));
    expect(server.attributes['http.route']).toBe('/api/products/:id');

    const upstreamCalls = await until('the upstream spans', () => {
      const found = receiver.spans.filter((s) => s.traceId === traceId && s.kind === CLIENT);
      return found.length >= 2 ? found : undefined;
    });
    for (const span of upstreamCalls) expect(span.parentSpanId).toBe(server.spanId);

    const seen = (await catalog.stats()).lastRequests.filter((r) => r.headers.traceparent?.includes(traceId));
    expect(seen.length).toBeGreaterThan(0);
    for (const r of seen) {
      // One traceparent, the client span's: never the gateway's hand-made one beside OTel's.
      expect(r.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      const spanId = r.headers.traceparent.split('-')[2];
      expect(upstreamCalls.map((s) => s.spanId)).toContain(spanId);
    }
  });

  it('traces POST handlers too (the body is read off the socket, and the context must survive it)', async () => {
    const traceId = '1af7651916cd43dd8448eb211c80319d';
    const token = await request(`${sims.urls.identity}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'password', username: 'alice', password: 'alice-password' }),
    });
    const res = await request(`${web.url}/api/orders`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token.body.access_token}`,
        traceparent: `00-${traceId}-b7ad6b7169203332-01`,
      },
      body: JSON.stringify({ items: [{ productId: 'p1', quantity: 1 }] }),
    });
    expect(res.status).toBe(201);
    const server = await until('the server span', () => receiver.spans.find((s) => s.traceId === traceId && s.kind === SERVER));
    const call = await until('the orders span', () =>
      receiver.spans.find((s) => s.traceId === traceId && s.kind === CLIENT && String(s.attributes['url.full']).includes('/orders')),
    );
    expect(call.parentSpanId).toBe(server.spanId);
  });

  it('exports no spans for health probes', async () => {
    await request(`${web.url}/health/live`);
    await request(`${web.url}/api/products/p52`);
    await until('the next request\u2019s span', () => receiver.spans.find((s) => s.name === 'GET /api/products/:id' && s.kind === SERVER));
    expect(receiver.spans.filter((s) => String(s.attributes['url.path'] ?? s.attributes['http.target'] ?? '').startsWith('/health'))).toEqual([]);
    expect(receiver.spans.filter((s) => s.name.includes('/health'))).toEqual([]);
  });
});
