import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import { deleteKeys, requireRedis, TEST_REDIS_URL, uniqueKeyPrefix } from '../testing/redis-test-server';
import { ScriptCallBatcher } from './script-call.batcher';

/** Counts its key and answers the key, the count and its first argument. */
const SCRIPT = "local n = redis.call('INCR', KEYS[1]); return {KEYS[1], n, ARGV[1]}";
const SHA = createHash('sha1').update(SCRIPT).digest('hex');

describe('ScriptCallBatcher', () => {
  const prefix = uniqueKeyPrefix('script-batch');
  let client: Redis;
  let batcher: ScriptCallBatcher;
  let writes: number;

  beforeAll(async () => {
    await requireRedis();
    client = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 0 });
    await client.script('LOAD', SCRIPT);
    batcher = new ScriptCallBatcher(client);
  });
  beforeEach(() => {
    writes = 0;
    const stream = client.stream;
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    jest.spyOn(stream, 'write').mockImplementation((...args: unknown[]) => {
      writes++;
      return write(...args);
    });
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await deleteKeys(prefix);
    client?.disconnect();
  });

  it('sends the calls of one turn in one write, each answered with its own reply', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => batcher.evalsha(SHA, [`${prefix}k${i % 4}`], [`a${i}`])));
    expect(writes).toBe(1);
    expect(replies[0]).toEqual([`${prefix}k0`, 1, 'a0']);
    expect(replies[19]).toEqual([`${prefix}k3`, 5, 'a19']);
  });

  it('sends a call alone when nothing else was asked in its turn', async () => {
    expect(await batcher.evalsha(SHA, [`${prefix}alone`], ['x'])).toEqual([`${prefix}alone`, 1, 'x']);
    expect(await batcher.evalsha(SHA, [`${prefix}alone`], ['y'])).toEqual([`${prefix}alone`, 2, 'y']);
    expect(writes).toBe(2);
  });

  it("fails only the call that failed: an unknown script's NOSCRIPT reaches that caller alone", async () => {
    const unknown = createHash('sha1').update('return 0 -- never loaded').digest('hex');
    const [good, bad] = await Promise.allSettled([batcher.evalsha(SHA, [`${prefix}good`], ['g']), batcher.evalsha(unknown, [`${prefix}bad`], ['b'])]);
    expect(good).toEqual({ status: 'fulfilled', value: [`${prefix}good`, 1, 'g'] });
    expect(bad.status === 'rejected' && String(bad.reason.message)).toMatch(/^NOSCRIPT/);
  });

  it('fails every call of the turn when the connection cannot take them', async () => {
    const closed = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: true });
    const offline = new ScriptCallBatcher(closed);
    const results = await Promise.allSettled([offline.evalsha(SHA, [`${prefix}x`], ['1']), offline.evalsha(SHA, [`${prefix}y`], ['2'])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    closed.disconnect();
  });
});
