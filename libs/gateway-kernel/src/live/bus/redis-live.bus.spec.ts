import Redis from 'ioredis';
import { deleteKeys, requireRedis, TEST_REDIS_URL, uniqueKeyPrefix } from '../../testing/redis-test-server';
import type { LiveEvent } from '../live-event';
import { RedisLiveBus } from './redis-live.bus';

const until = async (check: () => boolean | Promise<boolean>, what: string, ms = 3_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('RedisLiveBus (two replicas on one Redis)', () => {
  const prefix = uniqueKeyPrefix('live');
  const clients: Redis[] = [];
  const buses: RedisLiveBus[] = [];
  const replica = (replayEvents = 100, leaseMs = 300) => {
    const redis = new Redis(TEST_REDIS_URL, { enableOfflineQueue: true, maxRetriesPerRequest: 0 });
    clients.push(redis);
    const bus = new RedisLiveBus(redis, prefix, replayEvents, leaseMs);
    buses.push(bus);
    const events: LiveEvent[] = [];
    bus.onEvent((event) => events.push(event));
    return { bus, events };
  };

  beforeAll(() => requireRedis());
  afterAll(async () => {
    for (const bus of buses) await bus.close();
    for (const client of clients) client.disconnect();
    await deleteKeys(prefix);
  });

  it('delivers one published event to every replica that listens to its channel, with one id', async () => {
    const a = replica();
    const b = replica();
    a.bus.listen('orders:u1');
    b.bus.listen('orders:u1');
    b.bus.listen('orders:u2');
    await new Promise((r) => setTimeout(r, 100));
    a.bus.publish('orders:u1', 'orders', '{"orderId":"o1"}');
    a.bus.publish('orders:u2', 'orders', '{"orderId":"o2"}');
    await until(() => a.events.length === 1 && b.events.length === 2, 'both replicas');
    expect(a.events[0].frame).toBe(b.events[0].frame);
    expect(JSON.parse(a.events[0].frame)).toEqual({ id: a.events[0].id, topic: 'orders', data: { orderId: 'o1' } });
    expect(b.events[1].channel).toBe('orders:u2');
  });

  it('replays from the shared log on any replica, and reports a gap past the window', async () => {
    const a = replica(3);
    const b = replica(3);
    a.bus.listen('stock:p1');
    await new Promise((r) => setTimeout(r, 100));
    for (let i = 1; i <= 5; i++) a.bus.publish('stock:p1', 'stock:p1', String(i));
    await until(() => a.events.length === 5, 'five events');
    const ids = a.events.map((e) => e.id);
    const recent = await b.bus.replay(ids[2], new Set(['stock:p1']));
    expect(recent).toEqual({ events: a.events.slice(3).map(({ id, channel, frame }) => ({ id, channel, frame })), gap: false });
    expect((await b.bus.replay(ids[0], new Set(['stock:p1']))).gap).toBe(true);
    expect((await b.bus.replay('9999999999999-0', new Set(['stock:p1']))).gap).toBe(true);
  });

  it('lets one replica hold a feed; another takes it over, with the cursor, when the holder lets go', async () => {
    const a = replica();
    const b = replica();
    const held: string[] = [];
    const leaseA = a.bus.lease('orders', () => held.push('a'), () => held.push('a lost'));
    await until(() => held.length === 1, 'a first holder');
    a.bus.publish('orders:u1', 'orders', '1', { cursor: { feed: 'orders', value: '42' } });
    let cursorB: string | undefined;
    const leaseB = b.bus.lease('orders', (cursor) => {
      held.push('b');
      cursorB = cursor;
    }, () => held.push('b lost'));
    await new Promise((r) => setTimeout(r, 400));
    expect(held).toEqual(['a']);
    leaseA.release();
    await until(() => held.includes('b'), 'the takeover');
    expect(cursorB).toBe('42');
    leaseB.release();
  });

  it("keeps a state channel's latest event for any replica, and nothing of a change channel", async () => {
    const a = replica();
    const b = replica();
    a.bus.publish('stock:p9', 'stock:p9', '{"stock":1}', { retain: true });
    a.bus.publish('stock:p9', 'stock:p9', '{"stock":2}', { retain: true });
    a.bus.publish('orders:u9', 'orders', '{"orderId":"o9"}');
    await until(async () => (await b.bus.latest(['stock:p9'])).some((e) => e.frame.includes('"stock":2')), 'the latest stock');
    const [latest, ...more] = await b.bus.latest(['stock:p9', 'orders:u9', 'stock:none']);
    expect(more).toEqual([]);
    expect(latest).toEqual({ id: expect.stringMatching(/^\d+-\d+$/), channel: 'stock:p9', frame: expect.stringContaining('"data":{"stock":2}') });
    expect(JSON.parse(latest.frame).id).toBe(latest.id);
  });
});
