import 'reflect-metadata';
import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import { deleteKeys, requireRedis, ScratchRedis, TEST_REDIS_URL, uniqueKeyPrefix } from '../testing/redis-test-server';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { RATE_LIMIT_SCRIPT, RATE_LIMIT_SCRIPT_SHA } from './rate-limit.lua';
import type { LimitWindow, RateLimitStore } from './rate-limit-store.interface';
import { RedisRateLimitStore } from './redis-rate-limit.store';
import { createRedisClient } from '../redis';

const MINUTE = 60_000;
const DAY = 86_400_000;
const sliding = (limit: number, ttlMs = MINUTE, blockMs = 0): LimitWindow => ({ ttlMs, limit, sliding: true, blockMs });
const fixed = (limit: number, ttlMs = DAY): LimitWindow => ({ ttlMs, limit, sliding: false, blockMs: 0 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What both stores must do the same way (time runs for real; windows long enough not to roll mid-test). */
function behavesAsARateLimitStore(name: string, setup: () => { store: () => RateLimitStore; key: (k: string) => string }) {
  describe(`${name}: the store contract`, () => {
    const { store, key } = setup();

    it('admits exactly `limit` hits, counting remaining down, then refuses with a retry time', async () => {
      const keys = [key('count')];
      const limits = [sliding(3)];
      const seen = [];
      for (let i = 0; i < 4; i++) seen.push(await store().consume(keys, limits));
      expect(seen.map((r) => r.blockedBy)).toEqual([-1, -1, -1, 0]);
      expect(seen.map((r) => r.remaining[0])).toEqual([2, 1, 0, 0]);
      expect(seen[3].retryAfterMs).toBeGreaterThan(0);
      expect(seen[3].retryAfterMs).toBeLessThanOrEqual(2 * MINUTE);
      for (const r of seen) expect(r.resetMs[0]).toBeGreaterThan(0);
      for (const r of seen) expect(r.resetMs[0]).toBeLessThanOrEqual(MINUTE);
    });

    it('counts all limits or none: a refused request uses up no other limit', async () => {
      const keys = [key('tight'), key('loose')];
      const limits = [sliding(2), sliding(10)];
      await store().consume(keys, limits);
      await store().consume(keys, limits);
      const refused = await store().consume(keys, limits);
      expect(refused.blockedBy).toBe(0);
      expect(refused.remaining).toEqual([0, 8]);
      const alone = await store().consume([key('loose')], [sliding(10)]);
      expect(alone).toMatchObject({ blockedBy: -1, remaining: [7] });
    });

    it('names the limit to wait longest for when several refuse', async () => {
      const keys = [key('burst'), key('quota')];
      const limits = [sliding(1, 1_000), fixed(1)];
      expect((await store().consume(keys, limits)).blockedBy).toBe(-1);
      const refused = await store().consume(keys, limits);
      expect(refused.blockedBy).toBe(1);
      const msToUtcMidnight = DAY - (Date.now() % DAY);
      expect(Math.abs(refused.retryAfterMs - msToUtcMidnight)).toBeLessThan(2_000);
    });

    it('keeps separate keys apart', async () => {
      const limits = [sliding(1)];
      expect((await store().consume([key('a')], limits)).blockedBy).toBe(-1);
      expect((await store().consume([key('b')], limits)).blockedBy).toBe(-1);
      expect((await store().consume([key('a')], limits)).blockedBy).toBe(0);
    });

    it('lets a short window recover on its own', async () => {
      const keys = [key('short')];
      const limits = [sliding(1, 200)];
      expect((await store().consume(keys, limits)).blockedBy).toBe(-1);
      const refused = await store().consume(keys, limits);
      expect(refused.blockedBy).toBe(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(400);
      await sleep(refused.retryAfterMs + 20);
      expect((await store().consume(keys, limits)).blockedBy).toBe(-1);
    });

    it('keeps refusing for blockMs once over the limit', async () => {
      const keys = [key('block')];
      const limits = [sliding(1, 100, 600)];
      await store().consume(keys, limits);
      const refused = await store().consume(keys, limits);
      expect(refused.retryAfterMs).toBeGreaterThan(500);
      await sleep(300);
      expect((await store().consume(keys, limits)).blockedBy).toBe(0);
      await sleep(350);
      expect((await store().consume(keys, limits)).blockedBy).toBe(-1);
    });
  });
}

describe('MemoryRateLimitStore', () => {
  let store: MemoryRateLimitStore;
  beforeEach(() => (store = new MemoryRateLimitStore()));
  afterEach(() => store.onApplicationShutdown());
  behavesAsARateLimitStore('memory', () => ({ store: () => store, key: (k) => k }));

  describe('window arithmetic (fake clock)', () => {
    let now = 0;
    let clocked: MemoryRateLimitStore;
    beforeEach(() => {
      now = 10 * MINUTE;
      clocked = new MemoryRateLimitStore(() => now);
    });
    afterEach(() => clocked.onApplicationShutdown());

    it('counts the previous window weighted by its overlap (sliding), so an edge gives no double burst', async () => {
      const limits = [sliding(10, 1_000)];
      now += 900;
      for (let i = 0; i < 10; i++) expect((await clocked.consume(['k'], limits)).blockedBy).toBe(-1);
      now += 150; // 50ms into the next window: 95% of the 10 earlier hits still count
      const refused = await clocked.consume(['k'], limits);
      expect(refused.blockedBy).toBe(0);
      // 10 * (1 - t/1000) + 1 <= 10 from t = 100ms into the window
      expect(refused.retryAfterMs).toBe(50);
      now += 50;
      expect(await clocked.consume(['k'], limits)).toMatchObject({ blockedBy: -1, remaining: [0] });
      expect((await clocked.consume(['k'], limits)).blockedBy).toBe(0);
    });

    it('resets a fixed window whole at its aligned end', async () => {
      const limits = [fixed(2, 1_000)];
      now += 999;
      await clocked.consume(['q'], limits);
      await clocked.consume(['q'], limits);
      expect((await clocked.consume(['q'], limits)).retryAfterMs).toBe(1);
      now += 1;
      expect(await clocked.consume(['q'], limits)).toMatchObject({ blockedBy: -1, remaining: [1], resetMs: [1_000] });
    });

    it('forgets expired counters when swept', async () => {
      await clocked.consume(['gone'], [sliding(1, 1_000)]);
      now += 3_000;
      (clocked as unknown as { sweep(): void }).sweep();
      expect((clocked as unknown as { counters: Map<string, unknown> }).counters.size).toBe(0);
    });
  });
});

describe('RedisRateLimitStore', () => {
  const prefix = uniqueKeyPrefix('store');
  let client: Redis;
  let store: RedisRateLimitStore;

  beforeAll(async () => {
    await requireRedis();
    client = createRedisClient({ url: TEST_REDIS_URL, commandTimeoutMs: 500, keyPrefix: prefix });
    store = new RedisRateLimitStore(client, true);
    await store.onModuleInit();
  });
  afterAll(async () => {
    await store?.onApplicationShutdown();
    await deleteKeys(prefix);
  });

  behavesAsARateLimitStore('redis', () => ({ store: () => store, key: (k) => `${prefix}{t}:${k}` }));

  it('calls the script by SHA (the text is sent once, by SCRIPT LOAD)', () => {
    expect(RATE_LIMIT_SCRIPT_SHA).toBe(createHash('sha1').update(RATE_LIMIT_SCRIPT).digest('hex'));
  });

  it('lets exactly `limit` of 200 concurrent requests through', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, () => store.consume([`${prefix}{c}:burst`, `${prefix}{c}:sustained`], [sliding(5), sliding(100)])),
    );
    expect(results.filter((r) => r.blockedBy === -1)).toHaveLength(5);
  });

  it('sets keys that expire on their own, after the window they may still count in', async () => {
    await store.consume([`${prefix}{e}:burst`, `${prefix}{e}:quota`], [sliding(5, 1_000), fixed(5)]);
    const burstTtl = await client.pttl(`${prefix}{e}:burst`);
    const quotaTtl = await client.pttl(`${prefix}{e}:quota`);
    expect(burstTtl).toBeGreaterThan(1_000);
    expect(burstTtl).toBeLessThanOrEqual(2_000);
    expect(quotaTtl).toBeGreaterThan(0);
    expect(quotaTtl).toBeLessThanOrEqual(DAY - (Date.now() % DAY) + 1_000);
  });

  describe('with a Redis of its own', () => {
    let scratch: ScratchRedis;
    let scratchStore: RedisRateLimitStore;
    beforeAll(async () => {
      scratch = await ScratchRedis.start();
      scratchStore = new RedisRateLimitStore(createRedisClient({ url: scratch.url, commandTimeoutMs: 200, keyPrefix: '' }), true);
      await scratchStore.onModuleInit();
    });
    afterAll(async () => {
      await scratchStore?.onApplicationShutdown();
      await scratch?.stop();
    });

    it('loads the script again after SCRIPT FLUSH (NOSCRIPT) and answers the same call', async () => {
      await scratchStore.client.script('FLUSH');
      expect((await scratchStore.consume(['{n}:x'], [sliding(1)])).blockedBy).toBe(-1);
      expect((await scratchStore.consume(['{n}:x'], [sliding(1)])).blockedBy).toBe(0);
    });

    it('never counts a call that timed out while Redis stalled, once Redis resumes', async () => {
      const stalled = new RedisRateLimitStore(scratchStore.client, false, 300);
      scratch.pause();
      await expect(stalled.consume(['{s}:x'], [sliding(1)])).rejects.toThrow(/timed out/i);
      await new Promise((r) => setTimeout(r, 400));
      scratch.resume();
      await new Promise((r) => setTimeout(r, 200));
      // The timed-out call reached Redis on resume and counted nothing: the limit of 1 is still whole.
      expect((await stalled.consume(['{s}:x'], [sliding(1)])).blockedBy).toBe(-1);
      expect((await stalled.consume(['{s}:x'], [sliding(1)])).blockedBy).toBe(0);
    });

    it('rejects within the command timeout when Redis hangs, and at once when it is gone', async () => {
      scratch.pause();
      let started = Date.now();
      await expect(scratchStore.consume(['{h}:x'], [sliding(1)])).rejects.toThrow(/timed out/i);
      expect(Date.now() - started).toBeLessThan(600);
      scratch.resume();
      await scratch.stop();
      started = Date.now();
      await expect(scratchStore.consume(['{h}:x'], [sliding(1)])).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(300);
    });
  });
});
