import { LiveConfig } from '../config';
import { GatewayError } from '../errors';
import { MemoryLiveBus } from './bus/memory-live.bus';
import type { LiveClient, LiveCloseReason } from './live-client';
import type { LiveEvent } from './live-event';
import { LiveHub } from './live-hub';
import type { LiveFeedSink, LiveSource } from './sources/live-source.interface';

/** A source whose feeds the test drives: counts opens and closes, publishes on demand. */
class FakeSource implements LiveSource {
  readonly kind = 'orders';
  opened = 0;
  closed = 0;
  cursors: (string | undefined)[] = [];
  sink?: LiveFeedSink;
  feedOf(): string {
    return 'orders';
  }
  open(_feed: string, sink: LiveFeedSink, cursor?: string) {
    this.opened++;
    this.cursors.push(cursor);
    this.sink = sink;
    return { close: () => void this.closed++ };
  }
  emit(userId: string, data: object, cursor?: string) {
    this.sink?.(`orders:${userId}`, 'orders', JSON.stringify(data), cursor);
  }
}

/** A state source, as stock is: one feed per channel, opening with the current value. */
class FakeStateSource implements LiveSource {
  readonly kind = 'stock';
  readonly retainsLatest = true;
  opened = 0;
  sinks = new Map<string, LiveFeedSink>();
  feedOf(channel: string): string {
    return channel;
  }
  open(feed: string, sink: LiveFeedSink) {
    this.opened++;
    this.sinks.set(feed, sink);
    return { close: () => void this.sinks.delete(feed) };
  }
  set(sku: string, stock: number) {
    this.sinks.get(`stock:${sku}`)?.(`stock:${sku}`, `stock:${sku}`, JSON.stringify({ stock }), String(stock));
  }
}

class FakeClient implements LiveClient {
  frames: string[] = [];
  closedWith?: LiveCloseReason;
  /** The clock when it was closed. */
  closedAt?: number;
  beats = 0;
  private listeners: (() => void)[] = [];
  constructor(
    readonly userId: string,
    private readonly capacity = Infinity,
    readonly expiresAt?: number,
  ) {}
  send(event: LiveEvent) {
    if (this.closedWith) return;
    this.frames.push(event.frame);
    if (this.frames.length > this.capacity) this.close('overflow');
  }
  heartbeat() {
    this.beats++;
  }
  close(reason: LiveCloseReason) {
    if (this.closedWith) return;
    this.closedWith = reason;
    this.closedAt = Date.now();
    for (const listener of this.listeners) listener();
  }
  onGone(listener: () => void) {
    this.listeners.push(listener);
  }
  ids() {
    return this.frames.map((f) => (JSON.parse(f) as { id: string }).id);
  }
}

const orders = (userId: string) => [{ topic: 'orders', channel: `orders:${userId}` }];
const stock = (...skus: string[]) => skus.map((sku) => ({ topic: `stock:${sku}`, channel: `stock:${sku}` }));
const stockOf = (client: FakeClient) => client.frames.map((f) => `${JSON.parse(f).topic}=${JSON.parse(f).data.stock}`);

function hubWith(overrides: Partial<LiveConfig> = {}, replayEvents = 100) {
  const config = Object.assign(new LiveConfig(), overrides);
  const source = new FakeSource();
  const bus = new MemoryLiveBus(replayEvents);
  const hub = new LiveHub(config, bus, [source], 'test-bff');
  return { hub, source, bus };
}

describe('LiveHub', () => {
  it('opens one upstream feed for many clients and channels, and closes it with the last one', async () => {
    const { hub, source } = hubWith({ maxConnectionsPerUser: 1_000 });
    const clients = Array.from({ length: 200 }, (_, i) => new FakeClient(i % 2 ? 'u1' : 'u2'));
    for (const client of clients) await hub.attach(client, orders(client.userId), await hub.reserve(client.userId));
    expect(source.opened).toBe(1);

    source.emit('u1', { orderId: 'o1', status: 'paid' });
    const u1 = clients.filter((c) => c.userId === 'u1');
    const u2 = clients.filter((c) => c.userId === 'u2');
    expect(u1.every((c) => c.frames.length === 1 && JSON.parse(c.frames[0]).data.orderId === 'o1')).toBe(true);
    expect(u2.every((c) => c.frames.length === 0)).toBe(true);

    for (const client of clients) client.close('closed');
    expect(source.closed).toBe(1);
    expect(hub.connections).toBe(0);
    await hub.close();
  });

  it('cuts off a client that overflows while the others keep every event', async () => {
    const { hub, source } = hubWith({ maxConnectionsPerUser: 10 });
    const slow = new FakeClient('u1', 3);
    const fast = new FakeClient('u1');
    await hub.attach(slow, orders('u1'), await hub.reserve('u1'));
    await hub.attach(fast, orders('u1'), await hub.reserve('u1'));
    for (let i = 0; i < 10; i++) source.emit('u1', { n: i });
    expect(slow.closedWith).toBe('overflow');
    expect(fast.frames).toHaveLength(10);
    expect(hub.connections).toBe(1);
    await hub.close();
  });

  it('caps connections per user (429) and per replica (503), and gives places back when connections end', async () => {
    const { hub } = hubWith({ maxConnectionsPerUser: 2, maxConnections: 3 });
    const a = await hub.reserve('u1');
    await hub.reserve('u1');
    await expect(hub.reserve('u1')).rejects.toMatchObject({ status: 429, headers: { 'retry-after': '5' } });
    await hub.reserve('u2');
    await expect(hub.reserve('u3')).rejects.toMatchObject({ status: 503 });
    a.release();
    a.release();
    await expect(hub.reserve('u3')).resolves.toMatchObject({ userId: 'u3' });
    await expect(hub.reserve('u4')).rejects.toBeInstanceOf(GatewayError);
    await hub.close();
  });

  it('replays what a client missed after its Last-Event-ID, then goes on live without repeats', async () => {
    const { hub, source } = hubWith();
    const first = new FakeClient('u1');
    await hub.attach(first, orders('u1'), await hub.reserve('u1'));
    for (let i = 1; i <= 5; i++) source.emit('u1', { n: i });
    source.emit('u2', { other: true });
    const seen = first.ids();
    first.close('closed');
    // The feed closed with the last client; the next one opens it again from the cursor the bus kept.

    const resumed = new FakeClient('u1');
    let gaps = 0;
    await hub.attach(resumed, orders('u1'), await hub.reserve('u1'), seen[1], () => gaps++);
    expect(resumed.ids()).toEqual(seen.slice(2));
    source.emit('u1', { n: 6 });
    expect(resumed.frames).toHaveLength(4);
    expect(JSON.parse(resumed.frames[3]).data).toEqual({ n: 6 });
    expect(gaps).toBe(0);
    await hub.close();
  });

  it('tells a client resuming from before the window that it missed events', async () => {
    const { hub, source } = hubWith({}, 3);
    const first = new FakeClient('u1');
    await hub.attach(first, orders('u1'), await hub.reserve('u1'));
    for (let i = 1; i <= 6; i++) source.emit('u1', { n: i });
    const oldest = first.ids()[0];
    first.close('closed');

    const resumed = new FakeClient('u1');
    let gaps = 0;
    await hub.attach(resumed, orders('u1'), await hub.reserve('u1'), oldest, () => gaps++);
    expect(gaps).toBe(1);
    expect(resumed.ids()).toEqual(first.ids().slice(3));
    await hub.close();
  });

  it('hands the upstream cursor to a feed opened again', async () => {
    const { hub, source } = hubWith();
    const client = new FakeClient('u1');
    await hub.attach(client, orders('u1'), await hub.reserve('u1'));
    source.emit('u1', { n: 1 }, '41');
    client.close('closed');
    await hub.attach(new FakeClient('u1'), orders('u1'), await hub.reserve('u1'));
    expect(source.cursors).toEqual([undefined, '41']);
    await hub.close();
  });

  it("takes each user's place from its ledger (Redis's, across replicas): a refusal is 429 and holds no place on this replica", async () => {
    const taken: string[] = [];
    let refreshed = 0;
    let room = 1;
    const ledger = {
      take: async (userId: string) => {
        if (room === 0) return undefined;
        room--;
        taken.push(userId);
        return { give: () => void (room++, taken.splice(taken.indexOf(userId), 1)) };
      },
      refresh: () => void refreshed++,
    };
    const hub = new LiveHub(Object.assign(new LiveConfig(), { maxConnections: 1, heartbeatMs: 100 }), new MemoryLiveBus(10), [new FakeSource()], 'test-bff', ledger);
    const first = await hub.reserve('u1');
    await expect(hub.reserve('u2')).rejects.toMatchObject({ status: 503 });
    first.release();
    room = 0;
    // Refused by the ledger: the replica's one place is free again for the next.
    await expect(hub.reserve('u2')).rejects.toMatchObject({ status: 429, headers: { 'retry-after': '5' } });
    room = 1;
    const client = new FakeClient('u3');
    await hub.attach(client, orders('u3'), await hub.reserve('u3'));
    expect(taken).toEqual(['u3']);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(refreshed).toBeGreaterThan(0);
    client.close('closed');
    expect(taken).toEqual([]);
    await hub.close();
  });

  it('asks every client to reconnect elsewhere when draining, and refuses new ones with 503', async () => {
    const { hub } = hubWith();
    const clients = [new FakeClient('u1'), new FakeClient('u2')];
    for (const client of clients) await hub.attach(client, orders(client.userId), await hub.reserve(client.userId));
    hub.drain();
    expect(clients.map((c) => c.closedWith)).toEqual(['draining', 'draining']);
    await expect(hub.reserve('u3')).rejects.toMatchObject({ status: 503 });
    await hub.close();
  });

  it('leaves no trace of a client gone before it was attached', async () => {
    const { hub, source } = hubWith();
    const gone = new FakeClient('u1');
    gone.close('closed');
    const reservation = await hub.reserve('u1');
    gone.onGone = (listener) => listener();
    await hub.attach(gone, orders('u1'), reservation);
    expect(hub.connections).toBe(0);
    expect(source.opened).toBe(0);
    await expect(Promise.all(Array.from({ length: 5 }, () => hub.reserve('u1')))).resolves.toHaveLength(5);
    await hub.close();
  });

  it('refuses a topic no source serves', async () => {
    const { hub } = hubWith();
    expect(() => hub.assertServed([{ topic: 'stock:p1', channel: 'stock:p1' }])).toThrow(expect.objectContaining({ status: 400 }));
    await hub.close();
  });

  it('beats every client from one timer', async () => {
    jest.useFakeTimers();
    try {
      const { hub } = hubWith({ heartbeatMs: 1_000 });
      const client = new FakeClient('u1');
      await hub.attach(client, orders('u1'), await hub.reserve('u1'));
      jest.advanceTimersByTime(3_000);
      expect(client.beats).toBe(3);
      await hub.close();
    } finally {
      jest.useRealTimers();
    }
  });

  describe('at the end of a credential', () => {
    const START = 1_700_000_000_000;
    beforeEach(() => jest.useFakeTimers({ now: START }));
    afterEach(() => jest.useRealTimers());
    const expiring = (userId: string, inMs: number) => new FakeClient(userId, Infinity, START + inMs);

    it("closes a client with 'expired' at its expiresAt, and only it", async () => {
      const { hub, source } = hubWith({ heartbeatMs: 25_000, maxConnectionsPerUser: 10 });
      const soon = expiring('u1', 5_000);
      const later = expiring('u1', 3_600_000);
      const partner = new FakeClient('u1');
      for (const client of [soon, later, partner]) await hub.attach(client, orders('u1'), await hub.reserve('u1'));
      jest.advanceTimersByTime(4_999);
      expect(soon.closedWith).toBeUndefined();
      jest.advanceTimersByTime(1);
      expect(soon.closedWith).toBe('expired');
      expect(soon.closedAt).toBe(START + 5_000);
      expect(hub.connections).toBe(2);
      source.emit('u1', { orderId: 'o1' });
      expect([soon, later, partner].map((c) => c.frames.length)).toEqual([0, 1, 1]);
      expect([later.closedWith, partner.closedWith]).toEqual([undefined, undefined]);
      await hub.close();
    });

    it('closes many clients, attached in any order, each at its own expiry, earliest first, without waiting for a heartbeat', async () => {
      const { hub } = hubWith({ heartbeatMs: 25_000, maxConnectionsPerUser: 100 });
      // Attached in a shuffled order: a client expiring before every one attached so far re-arms the one timer.
      const clients = Array.from({ length: 40 }, (_, i) => expiring('u1', 500 + ((i * 17) % 40) * 250));
      const order: FakeClient[] = [];
      for (const client of clients) {
        await hub.attach(client, orders('u1'), await hub.reserve('u1'));
        client.onGone(() => order.push(client));
      }
      jest.advanceTimersByTime(20_000);
      expect(order).toHaveLength(40);
      expect(order.map((c) => c.expiresAt)).toEqual(clients.map((c) => c.expiresAt).sort((a, b) => (a as number) - (b as number)));
      expect(order.every((c) => c.closedWith === 'expired' && c.closedAt === c.expiresAt)).toBe(true);
      expect(hub.connections).toBe(0);
      // Their places were given back.
      await expect(Promise.all(Array.from({ length: 100 }, () => hub.reserve('u1')))).resolves.toHaveLength(100);
      await hub.close();
    });

    it('never closes a connection without expiresAt (a partner key) for it', async () => {
      const { hub } = hubWith({ heartbeatMs: 25_000, maxConnectionsPerUser: 10 });
      const partner = new FakeClient('acme');
      const user = expiring('u1', 1_000);
      await hub.attach(partner, orders('acme'), await hub.reserve('acme'));
      await hub.attach(user, orders('u1'), await hub.reserve('u1'));
      jest.advanceTimersByTime(10 * 86_400_000);
      expect(user.closedWith).toBe('expired');
      expect(partner.closedWith).toBeUndefined();
      expect(partner.beats).toBeGreaterThan(0);
      expect(hub.connections).toBe(1);
      await hub.close();
    });

    it('reaches an expiry further off than one timer can wait', async () => {
      const { hub } = hubWith({ heartbeatMs: 25_000 });
      // Off the heartbeat's beat: closed at this very time, it was the timer's doing.
      const client = expiring('u1', 30 * 86_400_000 + 1_234);
      await hub.attach(client, orders('u1'), await hub.reserve('u1'));
      jest.advanceTimersByTime(30 * 86_400_000 + 1_233);
      expect(client.closedWith).toBeUndefined();
      jest.advanceTimersByTime(1);
      expect(client.closedWith).toBe('expired');
      expect(client.closedAt).toBe(client.expiresAt);
      await hub.close();
    });

    it('closes a client admitted past its expiresAt at once, holding no place', async () => {
      const { hub, source } = hubWith({ maxConnectionsPerUser: 1 });
      const late = expiring('u1', -1);
      await hub.attach(late, orders('u1'), await hub.reserve('u1'));
      expect(late.closedWith).toBe('expired');
      expect(hub.connections).toBe(0);
      expect(source.opened).toBe(0);
      await expect(hub.reserve('u1')).resolves.toBeDefined();
      await hub.close();
    });

    it('starts nothing for a subscribe that comes after the expiry but before the timer', async () => {
      const config = Object.assign(new LiveConfig(), { maxConnectionsPerUser: 10 });
      const states = new FakeStateSource();
      const hub = new LiveHub(config, new MemoryLiveBus(100), [new FakeSource(), states], 'test-bff');
      const client = expiring('u1', 5_000);
      await hub.attach(client, orders('u1'), await hub.reserve('u1'));
      // The clock moves past the expiry; no timer has run yet.
      jest.setSystemTime(START + 5_000);
      expect(hub.subscribe(client, stock('p1'))).toBeUndefined();
      expect(client.closedWith).toBe('expired');
      expect(states.opened).toBe(0);
      await hub.close();
    });
  });

  it('gives a client joining a state channel its latest event first, once, and then every change', async () => {
    const config = Object.assign(new LiveConfig(), { maxConnectionsPerUser: 10 });
    const source = new FakeStateSource();
    const hub = new LiveHub(config, new MemoryLiveBus(100), [new FakeSource(), source], 'test-bff');
    const first = new FakeClient('u1');
    await hub.attach(first, stock('p1'), await hub.reserve('u1'));
    source.set('p1', 5);
    const late = new FakeClient('u2');
    await hub.attach(late, [...stock('p1', 'p2'), ...orders('u2')], await hub.reserve('u2'));
    expect(stockOf(late)).toEqual(['stock:p1=5']);
    source.set('p2', 7);
    source.set('p1', 4);
    expect(stockOf(first)).toEqual(['stock:p1=5', 'stock:p1=4']);
    expect(stockOf(late)).toEqual(['stock:p1=5', 'stock:p2=7', 'stock:p1=4']);
    expect(source.opened).toBe(2);

    // Everyone gone, the feed closed: one coming back later still starts from the state kept.
    first.close('closed');
    late.close('closed');
    const again = new FakeClient('u1');
    await hub.attach(again, stock('p1'), await hub.reserve('u1'));
    expect(stockOf(again)).toEqual(['stock:p1=4']);
    await hub.close();
  });

  it('sends no latest state for a change channel, nor to a client resuming without a gap', async () => {
    const config = Object.assign(new LiveConfig(), { maxConnectionsPerUser: 10 });
    const source = new FakeStateSource();
    const changes = new FakeSource();
    const hub = new LiveHub(config, new MemoryLiveBus(100), [changes, source], 'test-bff');
    const first = new FakeClient('u1');
    await hub.attach(first, [...stock('p1'), ...orders('u1')], await hub.reserve('u1'));
    source.set('p1', 5);
    changes.emit('u1', { orderId: 'o1' });
    const resumed = new FakeClient('u1');
    await hub.attach(resumed, [...stock('p1'), ...orders('u1')], await hub.reserve('u1'), first.ids()[1]);
    expect(resumed.frames).toEqual([]);
    const fresh = new FakeClient('u1');
    await hub.attach(fresh, orders('u1'), await hub.reserve('u1'));
    expect(fresh.frames).toEqual([]);
    await hub.close();
  });

  describe('subscribe and unsubscribe on an attached client', () => {
    function stateHub(overrides: Partial<LiveConfig> = {}) {
      const config = Object.assign(new LiveConfig(), { maxConnectionsPerUser: 10 }, overrides);
      const changes = new FakeSource();
      const states = new FakeStateSource();
      const hub = new LiveHub(config, new MemoryLiveBus(100), [changes, states], 'test-bff');
      return { hub, changes, states };
    }

    it('opens a feed with the first listener a subscribe brings, and closes it when the last unsubscribes', async () => {
      const { hub, changes } = stateHub();
      const first = new FakeClient('u1');
      const second = new FakeClient('u1');
      await hub.attach(first, stock('p1'), await hub.reserve('u1'));
      await hub.attach(second, stock('p1'), await hub.reserve('u1'));
      expect(changes.opened).toBe(0);
      // A change channel has no state to read: all done at once, without a promise.
      expect(hub.subscribe(first, orders('u1'))).toBeUndefined();
      await hub.subscribe(second, orders('u1'));
      expect(changes.opened).toBe(1);
      changes.emit('u1', { n: 1 });
      expect([first.frames.length, second.frames.length]).toEqual([1, 1]);

      hub.unsubscribe(first, orders('u1'));
      changes.emit('u1', { n: 2 });
      expect([first.frames.length, second.frames.length]).toEqual([1, 2]);
      expect(changes.closed).toBe(0);
      hub.unsubscribe(second, orders('u1'));
      expect(changes.closed).toBe(1);
      // Unsubscribing again, or from a topic never followed, changes nothing.
      hub.unsubscribe(second, [...orders('u1'), ...stock('p9')]);
      expect(changes.closed).toBe(1);
      await hub.close();
    });

    it('gives a client subscribing to a state channel its latest event first, once, and then every change', async () => {
      const { hub, states } = stateHub();
      const watcher = new FakeClient('u1');
      await hub.attach(watcher, stock('p1'), await hub.reserve('u1'));
      states.set('p1', 5);
      const late = new FakeClient('u2');
      await hub.attach(late, orders('u2'), await hub.reserve('u2'));
      await hub.subscribe(late, stock('p1', 'p2'));
      expect(stockOf(late)).toEqual(['stock:p1=5']);
      // Subscribing again to what it follows sends no second copy.
      await hub.subscribe(late, stock('p1'));
      states.set('p1', 4);
      states.set('p2', 7);
      expect(stockOf(late)).toEqual(['stock:p1=5', 'stock:p1=4', 'stock:p2=7']);
      expect(states.opened).toBe(2);

      hub.unsubscribe(late, stock('p2'));
      expect(states.sinks.has('stock:p2')).toBe(false);
      expect(states.sinks.has('stock:p1')).toBe(true);
      await hub.close();
    });

    it('holds the live events of a client while its new state is read, and sends them after it, in order', async () => {
      const { hub, states, changes } = stateHub();
      const watcher = new FakeClient('u1');
      await hub.attach(watcher, stock('p1'), await hub.reserve('u1'));
      states.set('p1', 5);
      const client = new FakeClient('u1');
      await hub.attach(client, orders('u1'), await hub.reserve('u1'));
      const subscribed = hub.subscribe(client, stock('p1'));
      // While the kept state (5) is on its way: a change of the new channel and one of an old channel arrive.
      states.set('p1', 3);
      changes.emit('u1', { orderId: 'o1' });
      expect(client.frames).toEqual([]);
      await subscribed;
      expect(client.frames.map((f) => `${JSON.parse(f).topic}=${JSON.stringify(JSON.parse(f).data)}`)).toEqual([
        'stock:p1={"stock":5}',
        'stock:p1={"stock":3}',
        'orders={"orderId":"o1"}',
      ]);
      await hub.close();
    });

    it('refuses, changing nothing, a subscribe past live.maxTopics or to a topic no source serves (400)', async () => {
      const { hub, states } = stateHub({ maxTopics: 3 });
      const client = new FakeClient('u1');
      await hub.attach(client, stock('p1', 'p2'), await hub.reserve('u1'));
      expect(() => hub.subscribe(client, stock('p1', 'p3', 'p4'))).toThrow(expect.objectContaining({ status: 400 }));
      expect(states.opened).toBe(2);
      await hub.subscribe(client, stock('p2', 'p3'));
      expect(states.opened).toBe(3);
      hub.unsubscribe(client, stock('p1'));
      await hub.subscribe(client, stock('p4'));
      expect(states.opened).toBe(4);

      const { hub: ordersOnly } = hubWith();
      const other = new FakeClient('u1');
      await ordersOnly.attach(other, orders('u1'), await ordersOnly.reserve('u1'));
      expect(() => ordersOnly.subscribe(other, stock('p1'))).toThrow(expect.objectContaining({ status: 400 }));
      await Promise.all([hub.close(), ordersOnly.close()]);
    });

    it("closes the feeds a client's subscribes opened when it goes, and ignores one not attached", async () => {
      const { hub, changes, states } = stateHub();
      const client = new FakeClient('u1');
      await hub.attach(client, stock('p1'), await hub.reserve('u1'));
      await hub.subscribe(client, [...orders('u1'), ...stock('p2')]);
      client.close('closed');
      expect(changes.closed).toBe(1);
      expect(states.sinks.size).toBe(0);
      await hub.subscribe(client, stock('p3'));
      hub.unsubscribe(client, stock('p1'));
      expect(states.sinks.size).toBe(0);
      expect(hub.connections).toBe(0);
      await hub.close();
    });
  });
});
