import Redis from 'ioredis';
import { RequestContextStore, type Principal } from '../context';
import { GatewayError } from '../errors';
import { deleteKeys, requireRedis, TEST_REDIS_URL, uniqueKeyPrefix } from '../testing/redis-test-server';
import { hang, json, TestUpstream, testUpstreamConfig } from '../testing/test-upstream';
import { UpstreamClient } from '../upstream/upstream-client';
import { MemoryResponseCacheStore } from './memory-response-cache.store';
import { RedisResponseCacheStore } from './redis-response-cache.store';
import type { ResponseCacheStore } from './response-cache-store.interface';

const alice: Principal = { kind: 'user', id: 'alice', scopes: [] };
const bob: Principal = { kind: 'user', id: 'bob', scopes: [] };
const as = <T>(principal: Principal | undefined, fn: () => Promise<T>) =>
  RequestContextStore.run({ requestId: 'r', principal, deadline: Date.now() + 5_000 }, fn);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as GatewayError);

interface StoreFixture {
  name: string;
  setUp(): Promise<ResponseCacheStore>;
  tearDown(): Promise<void>;
}

const memory: StoreFixture = {
  name: 'memory',
  setUp: async () => new MemoryResponseCacheStore(1_000_000),
  tearDown: async () => undefined,
};

const redis = ((): StoreFixture => {
  let client: Redis | undefined;
  const prefix = uniqueKeyPrefix('response-cache');
  return {
    name: 'redis',
    setUp: async () => {
      await requireRedis();
      client = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 0 });
      return new RedisResponseCacheStore(client, prefix);
    },
    tearDown: async () => {
      await deleteKeys(prefix);
      client?.disconnect();
    },
  };
})();

describe.each([memory, redis])('response cache stage (%s store)', (fixture: StoreFixture) => {
  let upstream: TestUpstream;
  let store: ResponseCacheStore;
  let counter = 0;
  const clients: UpstreamClient[] = [];
  const client = (overrides: Record<string, unknown> = {}) => {
    const made = new UpstreamClient('svc', testUpstreamConfig([upstream.url], { retry: { maxAttempts: 0 }, ...overrides }), store);
    clients.push(made);
    return made;
  };
  /** A fresh path per test: the Redis store outlives a test's client. */
  let path = '';

  beforeAll(async () => {
    store = await fixture.setUp();
    upstream = await TestUpstream.start();
  });
  beforeEach(() => {
    path = `/products/${fixture.name}-${++counter}`;
    upstream.reset();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await upstream.close();
    await fixture.tearDown();
  });

  it('answers from the cache for the TTL, then asks the upstream again', async () => {
    upstream.handle(json({ v: 1 }));
    const svc = client({ cacheTtlMs: 300 });
    expect((await svc.http.get(path)).data).toEqual({ v: 1 });
    await sleep(20);
    const hit = await svc.http.get(path);
    expect(hit.data).toEqual({ v: 1 });
    expect(hit.headers['age']).toBe('0');
    expect(upstream.count()).toBe(1);
    await sleep(350);
    await svc.http.get(path);
    expect(upstream.count()).toBe(2);
  });

  it("takes a source's own TTL over the upstream's", async () => {
    upstream.handle(json({ v: 1 }));
    const svc = client({ cacheTtlMs: 0 });
    await svc.http.get(path, { gateway: { cacheTtlMs: 60_000 } });
    await sleep(20);
    await svc.http.get(path, { gateway: { cacheTtlMs: 60_000 } });
    expect(upstream.count()).toBe(1);
  });

  it("honours the upstream's max-age with no TTL configured", async () => {
    upstream.handle(json({ v: 1 }, { headers: { 'cache-control': 'public, max-age=60' } }));
    const svc = client();
    await svc.http.get(path);
    await sleep(20);
    await svc.http.get(path);
    expect(upstream.count()).toBe(1);
  });

  it('never keeps a no-store answer, whatever the TTL', async () => {
    upstream.handle(json({ v: 1 }, { headers: { 'cache-control': 'no-store' } }));
    const svc = client({ cacheTtlMs: 60_000 });
    await svc.http.get(path);
    await sleep(20);
    await svc.http.get(path);
    expect(upstream.count()).toBe(2);
  });

  it('keeps a private answer per caller only, and not at all for anonymous callers', async () => {
    upstream.handle(json({ v: 1 }, { headers: { 'cache-control': 'private, max-age=60' } }));
    const svc = client();
    await as(alice, () => svc.http.get(path));
    await sleep(20);
    await as(alice, () => svc.http.get(path));
    expect(upstream.count()).toBe(1);
    await as(bob, () => svc.http.get(path));
    expect(upstream.count()).toBe(2);
    await as(undefined, () => svc.http.get(`${path}-anon`));
    await sleep(20);
    await as(undefined, () => svc.http.get(`${path}-anon`));
    expect(upstream.count()).toBe(4);
  });

  it('serves a stale entry when the upstream fails with 5xx, a timeout or an open breaker', async () => {
    upstream.handle(json({ v: 1 }));
    const svc = client({
      timeoutMs: 600,
      cacheTtlMs: 50,
      cache: { staleIfErrorMs: 10_000 },
      breaker: { consecutiveFailures: 2, halfOpenAfterMs: 10_000 },
    });
    await svc.http.get(path);
    await sleep(100);

    upstream.handle(json({ boom: true }, { status: 500 }));
    const on5xx = await svc.http.get(path);
    expect(on5xx.data).toEqual({ v: 1 });
    expect(Number(on5xx.headers['age'])).toBeGreaterThanOrEqual(0);

    upstream.handle(hang);
    expect((await svc.http.get(path)).data).toEqual({ v: 1 });
    expect(svc.instances[0].breaker?.current).toBe('open');

    // The breaker is open now: the stale answer comes at once, not after the 600ms timeout.
    const started = Date.now();
    expect((await svc.http.get(path)).data).toEqual({ v: 1 });
    expect(Date.now() - started).toBeLessThan(400);
    expect(upstream.count()).toBe(3);
  });

  it('fails as the upstream did once the stale window is over', async () => {
    upstream.handle(json({ v: 1 }));
    const svc = client({ cacheTtlMs: 50, cache: { staleIfErrorMs: 50 } });
    await svc.http.get(path);
    await sleep(150);
    upstream.handle(json({}, { status: 503 }));
    expect((await failure(svc.http.get(path)))?.status).toBe(503);
  });

  it('does not keep bodies over maxEntryBytes', async () => {
    upstream.handle(json({ text: 'x'.repeat(2_000) }));
    const svc = client({ cacheTtlMs: 60_000, cache: { maxEntryBytes: 1_024 } });
    await svc.http.get(path);
    await sleep(20);
    await svc.http.get(path);
    expect(upstream.count()).toBe(2);
  });
});

describe('response cache stage, store failures', () => {
  it('treats a failing store as a miss, never as a failed call', async () => {
    const upstream = await TestUpstream.start(json({ v: 1 }));
    const broken: ResponseCacheStore = {
      get: () => Promise.reject(new Error('redis down')),
      set: () => Promise.reject(new Error('redis down')),
    };
    const svc = new UpstreamClient('svc', testUpstreamConfig([upstream.url], { cacheTtlMs: 60_000 }), broken);
    try {
      await expect(svc.http.get('/p')).resolves.toMatchObject({ data: { v: 1 } });
      await expect(svc.http.get('/p')).resolves.toMatchObject({ data: { v: 1 } });
      expect(upstream.count()).toBe(2);
    } finally {
      await svc.close();
      await upstream.close();
    }
  });
});

describe('MemoryResponseCacheStore', () => {
  it('drops the least recently used entries past its byte bound', async () => {
    const store = new MemoryResponseCacheStore(3_000);
    const entry = (size: number) => ({
      statusCode: 200,
      headers: {},
      body: Buffer.alloc(size),
      storedAt: Date.now(),
      freshUntil: Date.now() + 60_000,
      staleUntil: Date.now() + 60_000,
    });
    await store.set('a', entry(1_000));
    await store.set('b', entry(1_000));
    await store.get('a');
    await store.set('c', entry(1_000));
    expect(await store.get('a')).toBeDefined();
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('c')).toBeDefined();
  });
});
