import { register } from 'prom-client';
import { RequestContextStore, type Principal } from '../context';
import { GatewayError } from '../errors';
import { hang, json, TestUpstream, testUpstreamConfig } from '../testing/test-upstream';
import { UpstreamClient } from '../upstream/upstream-client';

describe('coalescing stage', () => {
  let upstream: TestUpstream;
  let client: UpstreamClient;
  const as = <T>(principal: Principal | undefined, fn: () => Promise<T>, signal?: AbortSignal) =>
    RequestContextStore.run({ requestId: 'r', principal, signal, deadline: Date.now() + 5_000 }, fn);
  const alice: Principal = { kind: 'user', id: 'alice', scopes: [] };
  const bob: Principal = { kind: 'user', id: 'bob', scopes: [] };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeEach(async () => {
    upstream = await TestUpstream.start(json({ n: 1 }, { delayMs: 150 }));
    client = new UpstreamClient('svc', testUpstreamConfig([upstream.url], { cache: { enabled: false }, retry: { maxAttempts: 0 } }));
  });
  afterEach(async () => {
    await client.close();
    await upstream.close();
  });

  it('ten identical concurrent GETs reach the upstream once and each gets the answer', async () => {
    const coalescedBefore = await coalescedCount();
    const results = await Promise.all(Array.from({ length: 10 }, () => as(undefined, () => client.http.get('/products/p1'))));
    expect(results.map((r) => r.data)).toEqual(Array(10).fill({ n: 1 }));
    expect(upstream.count()).toBe(1);
    expect((await coalescedCount()) - coalescedBefore).toBe(9);
  });

  it('keeps different paths, queries and callers apart', async () => {
    await Promise.all([
      as(alice, () => client.http.get('/products/p1')),
      as(bob, () => client.http.get('/products/p1')),
      as(alice, () => client.http.get('/products/p1', { params: { view: 'full' } })),
      as(alice, () => client.http.get('/products/p2')),
      as(alice, () => client.http.get('/products/p1')),
    ]);
    expect(upstream.count()).toBe(4);
  });

  it('lets callers of a shared source share the call whoever they are', async () => {
    await Promise.all([
      as(alice, () => client.http.get('/products/p1', { gateway: { shared: true } })),
      as(bob, () => client.http.get('/products/p1', { gateway: { shared: true } })),
    ]);
    expect(upstream.count()).toBe(1);
  });

  it('does not coalesce writes', async () => {
    await Promise.all([client.http.post('/orders', {}), client.http.post('/orders', {})]);
    expect(upstream.count()).toBe(2);
  });

  it('one caller leaving does not cancel the call for the others; all leaving does', async () => {
    upstream.handle(json({ n: 1 }, { delayMs: 200 }));
    const first = new AbortController();
    const leaving = as(undefined, () => client.http.get('/p'), first.signal).catch((e: unknown) => e as GatewayError);
    const staying = as(undefined, () => client.http.get('/p'));
    await sleep(50);
    first.abort(new GatewayError('bad-request', 'client closed the request'));
    expect(await leaving).toMatchObject({ status: 400 });
    await expect(staying).resolves.toMatchObject({ data: { n: 1 } });
    expect(upstream.seen[0].abandoned).toBe(false);

    upstream.reset();
    upstream.handle(hang);
    const both = [new AbortController(), new AbortController()];
    const calls = both.map((c) => as(undefined, () => client.http.get('/q'), c.signal).catch(() => undefined));
    await sleep(50);
    both.forEach((c) => c.abort(new GatewayError('bad-request', 'client closed the request')));
    await Promise.all(calls);
    await sleep(50);
    expect(upstream.count()).toBe(1);
    expect(upstream.seen[0].abandoned).toBe(true);
  });
});

async function coalescedCount(): Promise<number> {
  const metric = await register.getSingleMetric('gateway_upstream_coalesced_total')!.get();
  return metric.values.find((v) => v.labels.upstream === 'svc')?.value ?? 0;
}
