import { randomBytes } from 'node:crypto';
import { bearer, startBff, startSims, userToken, type RunningBff, type RunningSims } from '../support';
import { handshake, openSocket, openSse, orderChanges, STEADY, subjectOf, until, type LiveSocket, type SseStream } from './live-clients';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// Many processes and connections on a shared 2-core machine: generous time per test, never a timing assertion.
jest.setTimeout(60_000);

describe('live updates across two replicas through Redis', () => {
  let sims: RunningSims;
  const bffs: RunningBff[] = [];
  let alice: string;
  let changes: ReturnType<typeof orderChanges>;
  let aliceOrder: string;
  const sockets: LiveSocket[] = [];
  const streams: SseStream[] = [];

  // Every replica of one app shares a key prefix; each test gets its own, so none sees another's feed or log.
  const replicas = async (name: 'mobile-bff' | 'web-bff', more: Record<string, string> = {}) => {
    const env = { REDIS_URL, REDIS_KEY_PREFIX: `e2e-live-${randomBytes(4).toString('hex')}:`, ...STEADY, ...more };
    const pair = await Promise.all([startBff(name, sims.urls, env), startBff(name, sims.urls, env)]);
    bffs.push(...pair);
    return pair;
  };

  beforeAll(async () => {
    sims = await startSims(['identity', 'orders', 'users', 'catalog']);
    alice = await userToken(sims.urls.identity, 'alice');
    changes = orderChanges(sims.urls.orders);
    aliceOrder = await changes.firstOrderOf(subjectOf(alice));
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.ws.terminate();
    for (const stream of streams.splice(0)) stream.close();
    await Promise.all(bffs.splice(0).map((bff) => bff.stop()));
  });
  afterAll(async () => {
    await sims?.stop();
  });

  it('delivers one event, with one id, to clients on both replicas from one upstream subscription', async () => {
    const [a, b] = await replicas('mobile-bff');
    const onA = await openSocket(`${a.url.replace('http', 'ws')}/api/live?topics=orders`, { headers: bearer(alice) });
    const onB = await openSocket(`${b.url.replace('http', 'ws')}/api/live?topics=orders`, { headers: bearer(alice) });
    sockets.push(onA, onB);
    await until(async () => (await changes.subscribers()) === 1, 'one feed for both replicas');
    await changes.setStatus(aliceOrder, 'shipped');
    await until(() => onA.frames.length === 1 && onB.frames.length === 1, 'the event on both');
    expect(onA.frames[0]).toEqual(onB.frames[0]);
    expect(onA.frames[0].data).toMatchObject({ orderId: aliceOrder, status: 'shipped' });
    expect(await changes.subscribers()).toBe(1);
  });

  it('keeps delivering when the replica holding the feed goes away: the other takes it over', async () => {
    const [a, b] = await replicas('mobile-bff');
    const onA = await openSocket(`${a.url.replace('http', 'ws')}/api/live?topics=orders`, { headers: bearer(alice) });
    await until(async () => (await changes.subscribers()) === 1, 'the feed, held by a');
    const onB = await openSocket(`${b.url.replace('http', 'ws')}/api/live?topics=orders`, { headers: bearer(alice) });
    sockets.push(onA, onB);
    await a.stop();
    await until(async () => (await changes.subscribers()) === 1, 'the feed again, held by b', 15_000);
    await changes.setStatus(aliceOrder, 'delivered');
    await until(() => onB.frames.some((f) => f.data.status === 'delivered'), 'the event on b');
  });

  it('resumes an SSE client on the other replica with Last-Event-ID, from the shared window', async () => {
    const [a, b] = await replicas('web-bff');
    const first = await openSse(`${a.url}/api/live?topics=orders`, bearer(alice));
    const keeper = await openSse(`${b.url}/api/live?topics=orders`, bearer(alice));
    streams.push(first, keeper);
    expect([first.status, keeper.status]).toEqual([200, 200]);
    await until(async () => (await changes.subscribers()) === 1, 'the feed');
    await changes.setStatus(aliceOrder, 'paid');
    await until(() => first.frames().length === 1 && keeper.frames().length === 1, 'the first event');
    first.close();
    await changes.setStatus(aliceOrder, 'shipped');
    await until(() => keeper.frames().length === 2, 'the missed event');

    const resumed = await openSse(`${b.url}/api/live?topics=orders`, { ...bearer(alice), 'last-event-id': first.events[0].id! });
    streams.push(resumed);
    await until(() => resumed.frames().length === 1, 'the replayed event');
    expect(resumed.frames()[0]).toEqual(keeper.frames()[1]);
  });

  it("holds a user's connection cap across replicas: at the cap on one, refused (429) on the other, until one closes", async () => {
    const [a, b] = await replicas('mobile-bff', { LIVE_MAX_CONNECTIONS_PER_USER: '2' });
    const live = (bff: RunningBff) => `${bff.url.replace('http', 'ws')}/api/live?topics=orders`;
    const ask = (bff: RunningBff) => handshake(`${bff.url}/api/live?topics=orders`, bearer(alice));
    const first = await openSocket(live(a), { headers: bearer(alice) });
    const second = await openSocket(live(a), { headers: bearer(alice) });
    sockets.push(first, second);

    const refused = await ask(b);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.body).toMatchObject({ status: 429, detail: 'at most 2 live connections per user' });
    // Another user is not counted with alice.
    const bob = await userToken(sims.urls.identity, 'bob');
    sockets.push(await openSocket(live(b), { headers: bearer(bob) }));

    first.ws.close();
    await first.closed;
    let onB: LiveSocket | undefined;
    await until(async () => {
      onB = await openSocket(live(b), { headers: bearer(alice) }).catch(() => undefined);
      return onB !== undefined;
    }, 'a place for alice on b once one of hers on a closed');
    sockets.push(onB!);
    expect((await ask(a)).body).toMatchObject({ status: 429, detail: 'at most 2 live connections per user' });
  });
});
