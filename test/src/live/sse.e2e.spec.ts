import { bearer, startBff, startSims, userToken, type RunningBff, type RunningSims } from '../support';
import { openSse, orderChanges, STEADY, subjectOf, until, type SseStream } from './live-clients';

// Many processes and connections on a shared 2-core machine: generous time per test, never a timing assertion.
jest.setTimeout(60_000);

describe('web-bff live updates over Server-Sent Events', () => {
  let sims: RunningSims;
  let web: RunningBff;
  let alice: string;
  let bob: string;
  let live: string;
  let changes: ReturnType<typeof orderChanges>;
  let aliceOrder: string;
  const open: SseStream[] = [];

  beforeAll(async () => {
    sims = await startSims(['identity', 'orders', 'users', 'catalog']);
    web = await startBff('web-bff', sims.urls, { LIVE_HEARTBEAT_MS: '200', LIVE_REPLAY_EVENTS: '20', ...STEADY });
    [alice, bob] = await Promise.all([userToken(sims.urls.identity, 'alice'), userToken(sims.urls.identity, 'bob')]);
    live = `${web.url}/api/live`;
    changes = orderChanges(sims.urls.orders);
    aliceOrder = await changes.firstOrderOf(subjectOf(alice));
  });
  afterEach(() => {
    for (const stream of open.splice(0)) stream.close();
  });
  afterAll(async () => {
    await web?.stop();
    await sims?.stop();
  });
  const stream = async (url: string, headers: Record<string, string>) => {
    const s = await openSse(url, headers);
    open.push(s);
    return s;
  };

  it('refuses a request without a valid bearer token with 401, and takes no token from the query', async () => {
    expect((await stream(`${live}?topics=orders`, {})).status).toBe(401);
    const byQuery = await stream(`${live}?topics=orders&access_token=${alice}`, {});
    expect(byQuery.status).toBe(401);
    expect(byQuery.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(byQuery.body).toMatchObject({ status: 401, instance: '/api/live' });
  });

  it("refuses another user's orders with 403", async () => {
    const others = await stream(`${live}?topics=orders:${subjectOf(bob)}`, bearer(alice));
    expect(others.status).toBe(403);
    expect(others.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('streams the caller\'s order changes as text/event-stream, with ids and heartbeats', async () => {
    const events = await stream(`${live}?topics=orders`, bearer(alice));
    expect(events.status).toBe(200);
    expect(events.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(events.headers['cache-control']).toBe('private, no-store');
    await until(async () => (await changes.subscribers()) === 1, 'the feed');
    await changes.setStatus(aliceOrder, 'shipped');
    await until(() => events.frames().length === 1, 'the event');
    const [frame] = events.frames();
    expect(frame).toEqual({ id: events.events[0].id, topic: 'orders', data: { orderId: aliceOrder, status: 'shipped', at: expect.any(String) } });
    await until(() => events.comments >= 2, 'heartbeats');
  });

  it('resumes with Last-Event-ID: what was missed while away, then live, none twice', async () => {
    const first = await stream(`${live}?topics=orders`, bearer(alice));
    await until(async () => (await changes.subscribers()) === 1, 'the feed');
    await changes.setStatus(aliceOrder, 'paid');
    await changes.setStatus(aliceOrder, 'shipped');
    await until(() => first.frames().length === 2, 'two events');
    const lastSeen = first.events[1].id!;
    // Another client keeps the feed open while the first is away.
    const keeper = await stream(`${live}?topics=orders`, bearer(alice));
    first.close();
    await changes.setStatus(aliceOrder, 'delivered');
    await changes.setStatus(aliceOrder, 'cancelled');
    await until(() => keeper.frames().length === 2, 'the keeper sees both');

    const resumed = await stream(`${live}?topics=orders`, { ...bearer(alice), 'last-event-id': lastSeen });
    await until(() => resumed.frames().length === 2, 'the missed events');
    expect(resumed.frames().map((f) => f.data.status)).toEqual(['delivered', 'cancelled']);
    expect(resumed.frames().map((f) => f.id)).toEqual(keeper.frames().map((f) => f.id));
    await changes.setStatus(aliceOrder, 'created');
    await until(() => resumed.frames().length === 3, 'the live one');
    expect(resumed.frames()[2].data.status).toBe('created');
    expect(resumed.events.some((e) => e.event === 'gap')).toBe(false);
  });

  it('tells a client resuming from before the window that it missed events', async () => {
    const first = await stream(`${live}?topics=orders`, bearer(alice));
    await until(async () => (await changes.subscribers()) === 1, 'the feed');
    await changes.setStatus(aliceOrder, 'paid');
    await until(() => first.frames().length === 1, 'one event');
    const old = first.events[0].id!;
    await changes.burst(aliceOrder, 30);
    await until(() => first.frames().length === 31, 'the burst');
    const resumed = await stream(`${live}?topics=orders`, { ...bearer(alice), 'last-event-id': old });
    await until(() => resumed.events.some((e) => e.event === 'gap'), 'the gap notice');
    await until(() => resumed.frames().length === 20, 'the window');
    expect(resumed.frames().map((f) => f.id)).toEqual(first.frames().slice(-20).map((f) => f.id));
  });

  it('on SIGTERM sends every stream a final "reconnect" event, then exits 0', async () => {
    const local = await startBff('web-bff', sims.urls, { DRAIN_DELAY_MS: '300', ...STEADY });
    const streams = await Promise.all([openSse(`${local.url}/api/live?topics=orders`, bearer(alice)), openSse(`${local.url}/api/live?topics=orders`, bearer(bob))]);
    local.process.child.kill('SIGTERM');
    await Promise.all(streams.map((s) => s.ended));
    for (const s of streams) expect(s.events.at(-1)).toEqual({ event: 'reconnect', data: '{"reason":"draining"}' });
    expect(await local.process.waitForExit(5_000)).toBe(0);
  });
});
