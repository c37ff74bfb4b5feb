import { register } from 'prom-client';
import { GatewayError } from '../errors';
import { json, TestUpstream, testUpstreamConfig } from '../testing/test-upstream';
import { UpstreamClient } from './upstream-client';

describe('balancing, outlier detection and breakers across instances', () => {
  let a: TestUpstream;
  let b: TestUpstream;
  let client: UpstreamClient | undefined;
  const make = (overrides: Record<string, unknown>) => {
    client = new UpstreamClient('svc', testUpstreamConfig([a.url, b.url], { coalesce: false, retry: { maxAttempts: 0 }, ...overrides }));
    return client;
  };
  const settle = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as GatewayError);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeEach(async () => {
    a = await TestUpstream.start(json({ from: 'a' }));
    b = await TestUpstream.start(json({ from: 'b' }));
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    await Promise.all([a.close(), b.close()]);
  });

  it('round robin takes the instances in turn', async () => {
    const svc = make({ balancing: 'round-robin' });
    for (let i = 0; i < 6; i++) await svc.http.get('/x');
    expect([a.count(), b.count()]).toEqual([3, 3]);
  });

  it('least-outstanding sends new calls to the instance with fewer in flight', async () => {
    a.handle(json({ from: 'a' }, { delayMs: 400 }));
    const svc = make({ balancing: 'least-outstanding' });
    const slow = svc.http.get('/slow');
    await sleep(20);
    for (let i = 0; i < 5; i++) await svc.http.get('/x');
    await slow;
    expect([a.count(), b.count()]).toEqual([1, 5]);
  });

  it('ejects an instance that keeps failing and brings it back after ejectionMs', async () => {
    a.handle(json({}, { status: 500 }));
    const svc = make({ breaker: { enabled: false }, outlier: { consecutiveFailures: 3, ejectionMs: 300 } });
    for (let i = 0; i < 12; i++) await settle(svc.http.get('/x'));
    expect(a.count()).toBe(3);
    expect(b.count()).toBe(9);
    expect(svc.instances[0].ejected).toBe(true);
    const ejected = (await register.getSingleMetric('gateway_upstream_ejected')!.get()).values.find(
      // Labelled by position (a is the first instance), never by address.
      (v) => v.labels.upstream === 'svc' && v.labels.upstream_instance === '0',
    );
    expect(ejected?.value).toBe(1);

    a.handle(json({ from: 'a' }));
    await sleep(350);
    expect(svc.instances[0].ejected).toBe(false);
    for (let i = 0; i < 4; i++) await svc.http.get('/x');
    expect(a.count()).toBe(5);
  });

  it('never ejects more than maxEjectedPercent of the instances', async () => {
    a.handle(json({}, { status: 500 }));
    b.handle(json({}, { status: 500 }));
    const svc = make({ breaker: { enabled: false }, outlier: { consecutiveFailures: 2, ejectionMs: 5_000, maxEjectedPercent: 50 } });
    for (let i = 0; i < 10; i++) await settle(svc.http.get('/x'));
    expect(svc.instances.filter((i) => i.ejected)).toHaveLength(1);
  });

  it('routes around an instance whose breaker is open instead of answering 503', async () => {
    a.handle(json({}, { status: 503 }));
    const svc = make({ breaker: { consecutiveFailures: 2, halfOpenAfterMs: 5_000 }, outlier: { maxEjectedPercent: 0 } });
    for (let i = 0; i < 4; i++) await settle(svc.http.get('/x'));
    expect(svc.instances[0].breaker?.current).toBe('open');
    a.reset();
    b.reset();
    for (let i = 0; i < 4; i++) await expect(svc.http.get('/x')).resolves.toMatchObject({ data: { from: 'b' } });
    expect(a.count()).toBe(0);
  });

  it('answers 503 at once when every instance is open', async () => {
    a.handle(json({}, { status: 503 }));
    b.handle(json({}, { status: 503 }));
    const svc = make({ breaker: { consecutiveFailures: 1, halfOpenAfterMs: 5_000 }, outlier: { maxEjectedPercent: 0 } });
    await settle(svc.http.get('/x'));
    await settle(svc.http.get('/x'));
    const error = await settle(svc.http.get('/x'));
    expect(error).toMatchObject({ code: 'circuit-open', status: 503 });
    expect(a.count() + b.count()).toBe(2);
  });
});
