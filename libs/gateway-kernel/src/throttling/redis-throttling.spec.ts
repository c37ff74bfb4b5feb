import 'reflect-metadata';
import { register } from 'prom-client';
import { deleteKeys, requireRedis, ScratchRedis, TEST_REDIS_URL, uniqueKeyPrefix } from '../testing/redis-test-server';
import { asPartner, startThrottlingTestApp, type ThrottlingTestApp } from '../testing/throttling-test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function get(url: string, headers: Record<string, string> = {}) {
  const started = Date.now();
  const response = await fetch(url, { headers });
  const body = await response.text();
  return { status: response.status, headers: response.headers, body, ms: Date.now() - started };
}

async function metric(name: string, labels: Record<string, string>): Promise<number> {
  const found = (await register.getSingleMetric(name)?.get())?.values.find((v) =>
    Object.entries(labels).every(([k, value]) => v.labels[k] === value),
  );
  return found?.value ?? 0;
}

/** Tiers for these suites: free partners get 5 per minute. */
const FIVE_PER_MINUTE = {
  throttling: {
    tiers: { free: { limits: [{ name: 'burst', ttlMs: 60_000, limit: 5 }], dailyQuota: 1_000 } },
    defaultTier: 'free',
  },
};

describe('throttling on a shared Redis', () => {
  const keyPrefix = uniqueKeyPrefix('throttling');
  let a: ThrottlingTestApp;
  let b: ThrottlingTestApp;

  beforeAll(async () => {
    await requireRedis();
    const config = { ...FIVE_PER_MINUTE, redis: { url: TEST_REDIS_URL, keyPrefix, commandTimeoutMs: 500 } };
    a = await startThrottlingTestApp(config);
    b = await startThrottlingTestApp(config);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await deleteKeys(keyPrefix);
  });

  it('two app instances share one limit exactly, with headers on 200 and 429', async () => {
    const seen = [];
    for (let i = 0; i < 7; i++) seen.push(await get(`${(i % 2 ? b : a).url}/items`, asPartner('free-a')));
    expect(seen.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(seen.slice(0, 5).map((r) => r.headers.get('ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0']);
    for (const r of seen) expect(r.headers.get('ratelimit-limit')).toBe('5');
    const refused = seen[5];
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    expect(JSON.parse(refused.body)).toMatchObject({ status: 429, title: 'Too Many Requests' });
  });

  it('200 simultaneous requests across both instances against a limit of 5 let exactly 5 through', async () => {
    const before = await metric('gateway_ratelimit_rejections_total', { app: 'test-bff', limit: 'burst' });
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => get(`${(i % 2 ? b : a).url}/items`, asPartner('free-b'))),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(5);
    expect(responses.filter((r) => r.status === 429)).toHaveLength(195);
    expect(await metric('gateway_ratelimit_rejections_total', { app: 'test-bff', limit: 'burst' })).toBe(before + 195);
  });

  it('reports Redis up on /health/ready', async () => {
    const ready = await get(`${a.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body).details.redis).toMatchObject({ status: 'up', reachable: true });
  });
});

describe.each([
  ['fail-open', 200],
  ['fail-closed', 503],
] as const)('Redis stopped mid-run under %s', (policy, statusWhileDown) => {
  let redis: ScratchRedis;
  let t: ThrottlingTestApp;

  beforeAll(async () => {
    redis = await ScratchRedis.start();
    t = await startThrottlingTestApp({
      ...FIVE_PER_MINUTE,
      redis: { url: redis.url, keyPrefix: 'gw:', commandTimeoutMs: 100 },
      throttling: { ...FIVE_PER_MINUTE.throttling, onRedisError: policy },
    });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
  });

  it(`answers ${statusWhileDown} at once while Redis is gone, and throttles again once it is back`, async () => {
    const up = await get(`${t.url}/items`, asPartner('free-a'));
    expect(up.status).toBe(200);
    expect(up.headers.get('ratelimit-remaining')).toBe('4');

    const errorsBefore = await metric('gateway_ratelimit_redis_errors_total', { policy });
    await redis.stop();
    const down = [];
    for (let i = 0; i < 10; i++) down.push(await get(`${t.url}/items`, asPartner('free-a')));
    expect(down.map((r) => r.status)).toEqual(Array(10).fill(statusWhileDown));
    for (const r of down) expect(r.ms).toBeLessThan(1_000);
    for (const r of down) expect(r.headers.get('ratelimit-limit')).toBeNull();
    if (policy === 'fail-closed') {
      expect(down[0].headers.get('retry-after')).toBe('1');
      expect(JSON.parse(down[0].body)).toMatchObject({ status: 503, detail: 'rate limiting is unavailable; retry shortly' });
    }
    expect(await metric('gateway_ratelimit_redis_errors_total', { policy })).toBe(errorsBefore + 10);

    const ready = await get(`${t.url}/health/ready`);
    const redisHealth = JSON.parse(ready.body).details?.redis ?? JSON.parse(ready.body).error?.redis;
    expect(redisHealth).toMatchObject({ reachable: false, onRedisError: policy });
    expect(ready.status).toBe(policy === 'fail-closed' ? 503 : 200);
    expect(ready.ms).toBeLessThan(1_500);

    await redis.restart();
    let back;
    for (let i = 0; i < 60; i++) {
      back = await get(`${t.url}/items`, asPartner('free-a'));
      if (back.headers.get('ratelimit-limit')) break;
      await sleep(100);
    }
    expect(back?.status).toBe(200);
    expect(back?.headers.get('ratelimit-limit')).toBe('5');
  });

  it(`decides within the command timeout when Redis hangs (${statusWhileDown})`, async () => {
    await get(`${t.url}/items`, asPartner('free-b'));
    redis.pause();
    try {
      const hung = await Promise.all(Array.from({ length: 5 }, () => get(`${t.url}/items`, asPartner('free-b'))));
      expect(hung.map((r) => r.status)).toEqual(Array(5).fill(statusWhileDown));
      for (const r of hung) expect(r.ms).toBeLessThan(1_000);
    } finally {
      redis.resume();
    }
  });
});
