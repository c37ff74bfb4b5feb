import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { freePort } from '../../testing/free-port';
import { deleteKeys, requireRedis, TEST_REDIS_URL, uniqueKeyPrefix } from '../../testing/redis-test-server';
import type { LedgerPlace } from './connection-ledger.interface';
import { RedisConnectionLedger } from './redis-connection.ledger';

const until = async (check: () => boolean | Promise<boolean>, what: string, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('RedisConnectionLedger (replicas on one Redis)', () => {
  const prefix = uniqueKeyPrefix('live-conns');
  const clients: Redis[] = [];
  // What the app's client is: no offline queue, no retries, so a Redis away fails a call at once.
  const client = (url = TEST_REDIS_URL) => {
    const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 500 });
    redis.on('error', () => undefined);
    clients.push(redis);
    return redis;
  };
  const replica = (limit = 2, ttlMs = 60_000) => new RedisConnectionLedger(client(), prefix, limit, ttlMs);
  const connected = async () => {
    const redis = client();
    await until(() => redis.status === 'ready', 'a connection to Redis');
    return redis;
  };
  const members = async (userId: string) => (await connected()).zrange(`${prefix}{live}:conns:${userId}`, 0, -1, 'WITHSCORES');

  beforeAll(() => requireRedis());
  afterAll(async () => {
    for (const redis of clients) redis.disconnect();
    await deleteKeys(prefix);
  });

  it("holds a user's cap across replicas, gives the place back when a connection ends, and counts users apart", async () => {
    await connected();
    const [a, b] = [replica(), replica()];
    await until(() => clients.every((redis) => redis.status === 'ready'), 'both replicas connected');
    const first = await a.take('u1');
    const second = await a.take('u1');
    expect([first, second].every(Boolean)).toBe(true);
    expect(await b.take('u1')).toBeUndefined();
    expect(await b.take('u2')).toBeDefined();
    first!.give();
    first!.give();
    await until(async () => (await members('u1')).length === 2, 'the closed connection removed');
    const onB = await b.take('u1');
    expect(onB).toBeDefined();
    expect(await a.take('u1')).toBeUndefined();
  });

  it("frees a dead replica's places once they lapse unrefreshed, and keeps a live replica's on its heartbeat", async () => {
    const dead = replica(2, 300);
    const alive = replica(2, 300);
    const other = replica(2, 300);
    await until(() => clients.every((redis) => redis.status === 'ready'), 'the replicas connected');
    expect(await dead.take('u3')).toBeDefined();
    expect(await dead.take('u3')).toBeDefined();
    expect(await other.take('u3')).toBeUndefined();
    // `dead` never refreshes: its places lapse and another replica may take them.
    await until(async () => (await other.take('u3')) !== undefined, "the dead replica's places lapsing");

    expect(await alive.take('u4')).toBeDefined();
    const [, before] = await members('u4');
    await until(async () => {
      alive.refresh();
      await new Promise((r) => setTimeout(r, 20));
      const [, now] = await members('u4');
      return Number(now) > Number(before);
    }, 'the refresh moving the lapse time on');
  });

  it('counts again, on the next heartbeat, what Redis lost (a flush, or handshakes let in while it was away)', async () => {
    const a = replica();
    const b = replica();
    await until(() => clients.every((redis) => redis.status === 'ready'), 'the replicas connected');
    expect(await a.take('u5')).toBeDefined();
    expect(await a.take('u5')).toBeDefined();
    await (await connected()).del(`${prefix}{live}:conns:u5`);
    a.refresh();
    await until(async () => (await members('u5')).length === 4, 'both places back');
    expect(await b.take('u5')).toBeUndefined();
  });

  it("lets handshakes in on this replica's own cap when Redis fails, with one warning, never refusing for Redis's sake", async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      const away = new RedisConnectionLedger(client(`redis://127.0.0.1:${await freePort()}`), prefix, 2, 60_000);
      const places: (LedgerPlace | undefined)[] = [await away.take('u6'), await away.take('u6')];
      expect(places.every(Boolean)).toBe(true);
      expect(await away.take('u6')).toBeUndefined();
      places[0]!.give();
      expect(await away.take('u6')).toBeDefined();
      away.refresh();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/cannot be counted in Redis/);
    } finally {
      warn.mockRestore();
    }
  });
});
