import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { jsonLogLines, metricValue, request, startBff, startSims, type RunningBff, type RunningSims } from '../support';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const AVAILABILITY = '/v1/products/p7/availability';
/** Tiers told apart by their limit (RateLimit-Limit), high enough that polling never reaches it. */
const TIERS = JSON.stringify({
  free: { limits: [{ name: 'burst', ttlMs: 60_000, limit: 1_000 }] },
  gold: { limits: [{ name: 'burst', ttlMs: 60_000, limit: 2_000 }] },
});
const LIMIT_OF = { free: '1000', gold: '2000' };
/**
 * This suite is about keys: load shedding on a busy test machine would only blur it, and
 * polling a revoked key is a stream of failed attempts from one address, which the
 * pre-auth limit (tested in failed-authentication) would turn into 429s.
 */
const STEADY = { OVERLOAD_ENABLED: 'false', THROTTLE_TIERS: TIERS, THROTTLE_AUTH_FAILURES_LIMIT: '100000' };

interface KeyRecord {
  id: string;
  sha256: string;
  tier: string;
  scopes: string[];
}
const keyOf = (id: string) => `${id}-${randomBytes(8).toString('hex')}`;
const recordOf = (id: string, key: string, tier: string): KeyRecord => ({
  id,
  sha256: createHash('sha256').update(key).digest('hex'),
  tier,
  scopes: ['products:read'],
});

/** What each replica answers a key with: status, and the tier's limit when it got in. */
async function seenBy(replicas: RunningBff[], key: string): Promise<string[]> {
  return Promise.all(
    replicas.map(async (replica) => {
      const response = await request(`${replica.url}${AVAILABILITY}`, { headers: { 'x-api-key': key } });
      if (response.status === 200) return `200 ${response.headers.get('ratelimit-limit')}`;
      // 401 is the answer under test; anything else says what went wrong.
      return response.status === 401 ? '401' : `${response.status} ${response.body?.detail ?? response.text.slice(0, 100)}`;
    }),
  );
}

/** Polls until every replica answers as expected: a change lands within seconds, but when is not the test's business. */
async function untilEvery(replicas: RunningBff[], key: string, expected: string): Promise<void> {
  let seen: string[] = [];
  for (const until = Date.now() + 15_000; Date.now() < until; ) {
    seen = await seenBy(replicas, key);
    if (seen.every((s) => s === expected)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`replicas answered ${JSON.stringify(seen)}, never all "${expected}"`);
}

/** Polls until each replica has refused one more update (its metric and its log line both say so; lines leave in batches). */
async function untilRefusedBy(replicas: RunningBff[], before: number[], source: string): Promise<void> {
  const logged = (replica: RunningBff) =>
    jsonLogLines(replica.process).some((line) => line.context === 'ApiKeys' && / refused, keeping the \d+ keys in force/.test(line.msg));
  let counts: number[] = [];
  for (const until = Date.now() + 15_000; Date.now() < until; ) {
    counts = await refusals(replicas, source);
    if (counts.every((count, i) => count > before[i]) && replicas.every(logged)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `not every replica refused the update: metric ${JSON.stringify(counts)} (before ${JSON.stringify(before)}), logged ${JSON.stringify(replicas.map(logged))}`,
  );
}

async function refusals(replicas: RunningBff[], source: string): Promise<number[]> {
  return Promise.all(
    replicas.map(async (replica) =>
      metricValue((await request(`${replica.managementUrl}/metrics`)).text, 'gateway_api_key_reloads_total', { app: 'partner-bff', source, outcome: 'refused' }),
    ),
  );
}

describe('partner keys change on every replica without a restart', () => {
  let sims: RunningSims;
  beforeAll(async () => {
    sims = await startSims(['catalog', 'orders', 'inventory']);
  }, 60_000);
  afterAll(() => sims?.stop());

  describe('from Redis (pub/sub, reconciled)', () => {
    const keyPrefix = `e2e:${process.pid}:${randomBytes(4).toString('hex')}:`;
    const hash = `${keyPrefix}api-keys`;
    const acme = keyOf('acme');
    const globex = keyOf('globex');
    let redis: Redis;
    let replicas: RunningBff[] = [];
    const put = (record: KeyRecord) => {
      const { id, ...rest } = record;
      return redis.hset(hash, id, JSON.stringify(rest));
    };

    beforeAll(async () => {
      redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 0, connectTimeout: 1_000 });
      await redis.ping().catch((error: Error) => {
        throw new Error(`this suite needs Redis at ${REDIS_URL} (${error.message}); start one or set REDIS_URL (.ci/run does)`);
      });
      await put(recordOf('acme', acme, 'free'));
      const env = { ...STEADY, REDIS_URL, REDIS_KEY_PREFIX: keyPrefix, API_KEYS_SOURCE: 'redis' };
      replicas = await Promise.all([startBff('partner-bff', sims.urls, env), startBff('partner-bff', sims.urls, env)]);
    }, 60_000);

    afterAll(async () => {
      await Promise.all(replicas.map((r) => r.stop()));
      if (redis) {
        const keys = await redis.keys(`${keyPrefix}*`);
        if (keys.length) await redis.del(...keys);
        redis.disconnect();
      }
    });

    it('starts with the keys in Redis only (the demo keys of the app defaults are not in force)', async () => {
      expect(await seenBy(replicas, acme)).toEqual([`200 ${LIMIT_OF.free}`, `200 ${LIMIT_OF.free}`]);
      expect(await seenBy(replicas, 'demo-gold-key')).toEqual(['401', '401']);
    });

    it('adds, re-tiers and revokes a key on both replicas', async () => {
      expect(await seenBy(replicas, globex)).toEqual(['401', '401']);
      await put(recordOf('globex', globex, 'free'));
      await redis.publish(hash, 'globex');
      await untilEvery(replicas, globex, `200 ${LIMIT_OF.free}`);

      await put(recordOf('globex', globex, 'gold'));
      await redis.publish(hash, 'globex');
      await untilEvery(replicas, globex, `200 ${LIMIT_OF.gold}`);

      await redis.hdel(hash, 'globex');
      await redis.publish(hash, 'globex');
      await untilEvery(replicas, globex, '401');
      expect(await seenBy(replicas, acme)).toEqual([`200 ${LIMIT_OF.free}`, `200 ${LIMIT_OF.free}`]);
    });

    it('refuses a broken update whole on both replicas and keeps the last good set', async () => {
      const before = await refusals(replicas, 'redis');
      const initech = keyOf('initech');
      const { id, ...good } = recordOf('initech', initech, 'gold');
      // One update: a good new key, acme re-tiered, and a broken entry.
      await redis
        .multi()
        .hset(hash, id, JSON.stringify(good))
        .hset(hash, 'acme', JSON.stringify({ ...recordOf('acme', acme, 'gold'), id: undefined }))
        .hset(hash, 'broken', '{"sha256": "not-a-hash", "tier": "gold"}')
        .exec();
      await redis.publish(hash, 'broken');
      await untilRefusedBy(replicas, before, 'redis');
      expect(await seenBy(replicas, initech)).toEqual(['401', '401']);
      expect(await seenBy(replicas, acme)).toEqual([`200 ${LIMIT_OF.free}`, `200 ${LIMIT_OF.free}`]);

      // Mended, the whole update applies.
      await redis.hdel(hash, 'broken');
      await redis.publish(hash, 'broken');
      await untilEvery(replicas, initech, `200 ${LIMIT_OF.gold}`);
      expect(await seenBy(replicas, acme)).toEqual([`200 ${LIMIT_OF.gold}`, `200 ${LIMIT_OF.gold}`]);
    });
  });

  describe('from a watched file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'partner-keys-'));
    const file = join(dir, 'api-keys.json');
    const acme = keyOf('acme');
    const globex = keyOf('globex');
    let replicas: RunningBff[] = [];
    const write = (content: unknown) => {
      // Renamed over the old one, as editors and ConfigMap updates do.
      writeFileSync(`${file}.next`, typeof content === 'string' ? content : JSON.stringify(content));
      renameSync(`${file}.next`, file);
    };

    beforeAll(async () => {
      write([recordOf('acme', acme, 'free')]);
      const env = { ...STEADY, API_KEYS_SOURCE: 'file', API_KEYS_FILE: file };
      replicas = await Promise.all([startBff('partner-bff', sims.urls, env), startBff('partner-bff', sims.urls, env)]);
    }, 60_000);
    afterAll(() => Promise.all(replicas.map((r) => r.stop())));

    it('adds, re-tiers and revokes a key on both replicas', async () => {
      expect(await seenBy(replicas, acme)).toEqual([`200 ${LIMIT_OF.free}`, `200 ${LIMIT_OF.free}`]);
      write([recordOf('acme', acme, 'free'), recordOf('globex', globex, 'free')]);
      await untilEvery(replicas, globex, `200 ${LIMIT_OF.free}`);
      write([recordOf('acme', acme, 'free'), recordOf('globex', globex, 'gold')]);
      await untilEvery(replicas, globex, `200 ${LIMIT_OF.gold}`);
      write([recordOf('acme', acme, 'free')]);
      await untilEvery(replicas, globex, '401');
    });

    it.each([
      ['a file that is not JSON', () => '[{"id": "acme", '],
      ['a file with one bad entry', () => [recordOf('acme', acme, 'gold'), { ...recordOf('globex', globex, 'gold'), sha256: 'short' }]],
    ])('refuses %s on both replicas and keeps the last good set', async (_what, content) => {
      const before = await refusals(replicas, 'file');
      write(content());
      await untilRefusedBy(replicas, before, 'file');
      expect(await seenBy(replicas, acme)).toEqual([`200 ${LIMIT_OF.free}`, `200 ${LIMIT_OF.free}`]);
      expect(await seenBy(replicas, globex)).toEqual(['401', '401']);
    });
  });
});
