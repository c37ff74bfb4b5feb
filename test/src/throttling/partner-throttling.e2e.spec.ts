import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { expectProblem, request, simControl, startBff, startSims, type RunningBff, type RunningSims } from '../support';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const FREE = { 'x-api-key': 'demo-free-key' };
const GOLD = { 'x-api-key': 'demo-gold-key' };
const AVAILABILITY = '/v1/products/p7/availability';

/** Both demo tiers at 5 per minute, so a test never straddles a window. */
const TIERS = JSON.stringify({
  free: { limits: [{ name: 'burst', ttlMs: 60_000, limit: 5 }], dailyQuota: 1_000 },
  gold: { limits: [{ name: 'burst', ttlMs: 60_000, limit: 5 }], dailyQuota: 100_000 },
});

/** Fails the suite (never skips it) when Redis is not there. */
async function redisOrFail(): Promise<Redis> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    throw new Error(`this suite needs Redis at ${REDIS_URL} (${(error as Error).message}); start one or set REDIS_URL (.ci/run does)`);
  }
  return client;
}

describe('partner-bff replicas throttling on one Redis', () => {
  const keyPrefix = `e2e:${process.pid}:${randomBytes(4).toString('hex')}:`;
  let redis: Redis;
  let sims: RunningSims;
  let replicas: RunningBff[] = [];

  beforeAll(async () => {
    redis = await redisOrFail();
    sims = await startSims(['catalog', 'orders', 'inventory']);
    const env = { REDIS_URL, REDIS_KEY_PREFIX: keyPrefix, REDIS_COMMAND_TIMEOUT_MS: '500', THROTTLE_TIERS: TIERS };
    replicas = await Promise.all([startBff('partner-bff', sims.urls, env), startBff('partner-bff', sims.urls, env)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await sims?.stop();
    if (redis) {
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });

  it('share one limit exactly: requests alternating between replicas, RateLimit headers counting down across both', async () => {
    // Availability is inventory's (gRPC); its sim counts the calls that reached it.
    const inventory = simControl(sims.urls.inventory);
    await inventory.clearStats();
    const seen = [];
    for (let i = 0; i < 7; i++) seen.push(await request(`${replicas[i % 2].url}${AVAILABILITY}`, { headers: FREE }));
    expect(seen.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(seen.slice(0, 5).map((r) => r.headers.get('ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0']);
    for (const r of seen) expect(r.headers.get('ratelimit-limit')).toBe('5');
    expectProblem(seen[5], 429);
    expect(Number(seen[5].headers.get('retry-after'))).toBeGreaterThan(0);
    // Refused requests never reach the upstream.
    expect((await inventory.stats()).total).toBe(5);
  });

  it('let exactly 5 of 200 simultaneous requests through, spread over both replicas', async () => {
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => request(`${replicas[i % 2].url}${AVAILABILITY}`, { headers: GOLD })),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(5);
    expect(responses.filter((r) => r.status === 429)).toHaveLength(195);
  });

  it('keep their counters in Redis under the configured prefix, expiring on their own', async () => {
    const keys = await redis.keys(`${keyPrefix}rl:partner-bff:*`);
    expect(keys.sort()).toEqual(
      expect.arrayContaining([
        `${keyPrefix}rl:partner-bff:{key:demo-free}:burst`,
        `${keyPrefix}rl:partner-bff:{key:demo-free}:$quota`,
        `${keyPrefix}rl:partner-bff:{key:demo-gold}:burst`,
      ]),
    );
    for (const key of keys) expect(await redis.pttl(key)).toBeGreaterThan(0);
  });

  it('report Redis on /health/ready', async () => {
    for (const replica of replicas) {
      const ready = await request(`${replica.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(ready.body.details.redis).toMatchObject({ status: 'up', reachable: true });
    }
  });
});
