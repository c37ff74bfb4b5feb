import { GatewayError } from '../errors';
import { json, TestUpstream, testUpstreamConfig } from '../testing/test-upstream';
import { UpstreamClient } from '../upstream/upstream-client';

describe('breaker stage', () => {
  let upstream: TestUpstream;
  let client: UpstreamClient;
  const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as GatewayError);

  beforeEach(async () => {
    upstream = await TestUpstream.start(json({}, { status: 503 }));
    client = new UpstreamClient(
      'svc',
      testUpstreamConfig([upstream.url], {
        coalesce: false,
        retry: { maxAttempts: 0 },
        breaker: { consecutiveFailures: 3, halfOpenAfterMs: 200 },
      }),
    );
  });
  afterEach(async () => {
    await client.close();
    await upstream.close();
  });

  it('opens, sheds at once without calling the upstream, half-opens with one probe, and closes', async () => {
    for (let i = 0; i < 3; i++) expect((await failure(client.http.get('/x')))?.status).toBe(503);
    expect(client.instances[0].breaker?.current).toBe('open');

    // Were the call let through, it would take the upstream's 400ms.
    upstream.handle(json({}, { status: 503, delayMs: 400 }));
    const started = Date.now();
    const shed = await failure(client.http.get('/x'));
    expect(shed).toMatchObject({ code: 'circuit-open', status: 503 });
    expect(Date.now() - started).toBeLessThan(300);
    expect(upstream.count()).toBe(3);

    await new Promise((r) => setTimeout(r, 250));
    upstream.handle(json({ ok: true }, { delayMs: 100 }));
    const probe = client.http.get('/x');
    // While the probe is out, everything else is still refused.
    expect((await failure(client.http.get('/x')))?.code).toBe('circuit-open');
    await expect(probe).resolves.toMatchObject({ data: { ok: true } });
    expect(client.instances[0].breaker?.current).toBe('closed');
    await expect(client.http.get('/x')).resolves.toMatchObject({ data: { ok: true } });
    expect(upstream.count()).toBe(5);
  });

  it('counts 4xx answers as the instance working', async () => {
    upstream.handle(json({}, { status: 404 }));
    for (let i = 0; i < 5; i++) await failure(client.http.get('/x'));
    expect(client.instances[0].breaker?.current).toBe('closed');
  });
});
