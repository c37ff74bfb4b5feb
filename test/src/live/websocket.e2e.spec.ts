import { bearer, simControl, startBff, startSims, userToken, type RunningBff, type RunningSims } from '../support';
import { handshake, metric, openSocket, orderChanges, stalledSocket, STEADY, subjectOf, until, type LiveSocket } from './live-clients';

/** Everything a test leaves open is closed after it. */
const open: LiveSocket[] = [];
afterEach(() => {
  for (const socket of open.splice(0)) socket.ws.terminate();
});
const track = async (socket: Promise<LiveSocket>) => {
  const s = await socket;
  open.push(s);
  return s;
};

// Many processes and connections on a shared 2-core machine: generous time per test, never a timing assertion.
jest.setTimeout(60_000);

describe('mobile-bff live updates over WebSocket', () => {
  let sims: RunningSims;
  let mobile: RunningBff;
  let alice: string;
  let bob: string;
  let live: string;
  let changes: ReturnType<typeof orderChanges>;
  let aliceOrder: string;

  beforeAll(async () => {
    sims = await startSims(['identity', 'orders']);
    mobile = await startBff('mobile-bff', sims.urls, {
      LIVE_MAX_CONNECTIONS_PER_USER: '2000',
      LIVE_BUFFER_BYTES: '16384',
      MAX_CONNECTIONS_PER_ADDRESS: '0',
      ...STEADY,
      THROTTLE_LIMITS: JSON.stringify([{ name: 'burst', ttlMs: 1000, limit: 100000 }]),
    });
    [alice, bob] = await Promise.all([userToken(sims.urls.identity, 'alice'), userToken(sims.urls.identity, 'bob')]);
    live = `${mobile.url.replace('http', 'ws')}/api/live`;
    changes = orderChanges(sims.urls.orders);
    aliceOrder = await changes.firstOrderOf(subjectOf(alice));
  });
  afterAll(async () => {
    await mobile?.stop();
    await sims?.stop();
  });

  it('refuses a handshake without a valid token with 401 problem+json, before any upgrade', async () => {
    const attempts: Record<string, string>[] = [{}, bearer('not-a-jwt'), { 'sec-websocket-protocol': 'live.v1, bearer.nope' }];
    for (const headers of attempts) {
      const answer = await handshake(`${mobile.url}/api/live?topics=orders`, headers);
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.body).toMatchObject({ status: 401 });
    }
  });

  it("refuses another user's orders with 403 and a malformed topic with 400, before any upgrade", async () => {
    const others = await handshake(`${mobile.url}/api/live?topics=orders:${subjectOf(bob)}`, bearer(alice));
    expect(others.status).toBe(403);
    expect(others.body).toMatchObject({ status: 403, detail: "another user's orders cannot be followed" });
    for (const topics of ['', 'weather', 'stock:../../x']) {
      expect((await handshake(`${mobile.url}/api/live?topics=${topics}`, bearer(alice))).status).toBe(400);
    }
    expect((await handshake(`${mobile.url}/api/live?topics=orders&access_token=${alice}`, bearer(alice))).status).toBe(400);
  });

  it('takes the JWT as Authorization, ?access_token= or a bearer.<jwt> subprotocol, selecting live.v1 and never the token', async () => {
    const byHeader = await track(openSocket(`${live}?topics=orders`, { headers: bearer(alice) }));
    const byQuery = await track(openSocket(`${live}?topics=orders&access_token=${alice}`));
    const byProtocol = await track(openSocket(`${live}?topics=orders`, { protocols: ['live.v1', `bearer.${alice}`] }));
    expect(byProtocol.ws.protocol).toBe('live.v1');
    await until(async () => (await changes.subscribers()) === 1, 'the feed');
    await changes.setStatus(aliceOrder, 'shipped');
    await until(() => [byHeader, byQuery, byProtocol].every((s) => s.frames.length === 1), 'one event on each');
    expect(byHeader.frames[0]).toEqual({ id: expect.stringMatching(/^\d+-\d+$/), topic: 'orders', data: { orderId: aliceOrder, status: 'shipped', at: expect.any(String) } });
    expect(byQuery.frames[0]).toEqual(byHeader.frames[0]);
  });

  it("sends a user only its own orders' changes", async () => {
    const bobs = await track(openSocket(`${live}?topics=orders`, { headers: bearer(bob) }));
    const alices = await track(openSocket(`${live}?topics=orders`, { headers: bearer(alice) }));
    const bobOrder = await changes.firstOrderOf(subjectOf(bob));
    await until(async () => (await changes.subscribers()) === 1, 'the feed');
    await changes.setStatus(bobOrder, 'paid');
    await changes.setStatus(aliceOrder, 'delivered');
    await until(() => alices.frames.length === 1 && bobs.frames.length === 1, 'one event each');
    expect(bobs.frames[0].data.orderId).toBe(bobOrder);
    expect(alices.frames[0].data.orderId).toBe(aliceOrder);
  });

  it('serves 1,000 clients on one topic from one upstream subscription', async () => {
    await simControl(sims.urls.orders).clearStats();
    const clients: LiveSocket[] = [];
    for (let i = 0; i < 1_000; i += 100) {
      clients.push(...(await Promise.all(Array.from({ length: 100 }, () => track(openSocket(`${live}?topics=orders`, { headers: bearer(alice) }))))));
    }
    await until(async () => (await changes.subscribers()) === 1, 'the feed');
    await changes.setStatus(aliceOrder, 'paid');
    await until(() => clients.every((c) => c.frames.length === 1), 'the event on every client', 20_000);
    expect(new Set(clients.map((c) => c.frames[0].id)).size).toBe(1);
    expect(await changes.subscribers()).toBe(1);
    const stats = await simControl(sims.urls.orders).stats();
    expect(stats.byRoute['GET /orders/changes'] ?? 0).toBeLessThanOrEqual(1);
  });

  it('cuts off a client that stops reading while a fast one gets every event, in order', async () => {
    const fast = await track(openSocket(`${live}?topics=orders`, { headers: bearer(alice) }));
    const stalled = await stalledSocket(`${live}?topics=orders`, alice);
    const cutBefore = await metric(mobile.managementUrl, 'gateway_live_disconnects_total{app="mobile-bff",reason="overflow"}');
    await until(async () => (await changes.subscribers()) === 1, 'the feed');
    await changes.burst(aliceOrder, 50_000);
    await until(() => fast.frames.length === 50_000, 'every event on the fast client', 60_000);
    const ids = fast.frames.map((f) => f.id);
    expect(new Set(ids).size).toBe(50_000);
    expect(await metric(mobile.managementUrl, 'gateway_live_disconnects_total{app="mobile-bff",reason="overflow"}')).toBe(cutBefore + 1);
    stalled.resume();
    await new Promise<void>((resolve) => (stalled.destroyed ? resolve() : stalled.once('close', () => resolve())));
  });

  it('answers a plain GET with 426 and an upgrade elsewhere with 404', async () => {
    const plain = await fetch(`${mobile.url}/api/live?topics=orders`, { headers: bearer(alice) });
    expect(plain.status).toBe(426);
    expect((await handshake(`${mobile.url}/api/home`, bearer(alice))).status).toBe(404);
  });
});

describe('mobile-bff live connection caps, heartbeats and drain', () => {
  let sims: RunningSims;
  let mobile: RunningBff;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    sims = await startSims(['identity', 'orders']);
    [alice, bob] = await Promise.all([userToken(sims.urls.identity, 'alice'), userToken(sims.urls.identity, 'bob')]);
  });
  afterAll(async () => {
    await mobile?.stop();
    await sims?.stop();
  });

  it('caps connections per user (429) and per replica (503), and frees a place when a connection closes', async () => {
    mobile = await startBff('mobile-bff', sims.urls, { LIVE_MAX_CONNECTIONS_PER_USER: '2', LIVE_MAX_CONNECTIONS: '3', ...STEADY });
    const live = `${mobile.url.replace('http', 'ws')}/api/live?topics=orders`;
    const first = await track(openSocket(live, { headers: bearer(alice) }));
    await track(openSocket(live, { headers: bearer(alice) }));
    const third = await handshake(`${mobile.url}/api/live?topics=orders`, bearer(alice));
    expect(third.status).toBe(429);
    expect(third.headers['retry-after']).toBeDefined();
    await track(openSocket(live, { headers: bearer(bob) }));
    expect((await handshake(`${mobile.url}/api/live?topics=orders`, bearer(bob))).status).toBe(503);
    first.ws.close();
    await first.closed;
    // The place comes back once the server has seen the close; until then the cap still counts it.
    await until(
      () =>
        openSocket(live, { headers: bearer(alice) }).then(
          (socket) => (open.push(socket), true),
          () => false,
        ),
      'a freed place',
    );
    await mobile.stop();
  });

  it('pings every heartbeat, and drops a client that stops answering', async () => {
    mobile = await startBff('mobile-bff', sims.urls, { LIVE_HEARTBEAT_MS: '200', ...STEADY });
    const live = `${mobile.url.replace('http', 'ws')}/api/live?topics=orders`;
    const answering = await track(openSocket(live, { headers: bearer(alice) }));
    const silent = await track(openSocket(live, { headers: bearer(bob), autoPong: false }));
    await until(() => answering.pings >= 3, 'three pings');
    const { code } = await silent.closed;
    expect(code).toBe(1006);
    expect(answering.ws.readyState).toBe(answering.ws.OPEN);
    await mobile.stop();
  });

  it('never logs a token sent as ?access_token= or as a subprotocol', async () => {
    mobile = await startBff('mobile-bff', sims.urls, { LOG_LEVEL: 'info', ...STEADY });
    const byQuery = await handshake(`${mobile.url}/api/live?topics=weather&access_token=${alice}`);
    const byProtocol = await handshake(`${mobile.url}/api/live?topics=weather`, { 'sec-websocket-protocol': `live.v1, bearer.${bob}` });
    expect([byQuery.status, byProtocol.status]).toEqual([400, 400]);
    await until(() => mobile.process.logs().includes('access_token=[REDACTED]&') || mobile.process.logs().includes('access_token=[REDACTED]"'), 'the access line');
    const logs = mobile.process.logs();
    for (const token of [alice, bob]) expect(logs).not.toContain(token.split('.')[2]);
    await mobile.stop();
  });

  it('on SIGTERM closes every live connection with 1012 "reconnect", then exits 0', async () => {
    mobile = await startBff('mobile-bff', sims.urls, { DRAIN_DELAY_MS: '300', SHUTDOWN_GRACE_MS: '5000', ...STEADY });
    const live = `${mobile.url.replace('http', 'ws')}/api/live?topics=orders`;
    const sockets = await Promise.all([track(openSocket(live, { headers: bearer(alice) })), track(openSocket(live, { headers: bearer(bob) }))]);
    mobile.process.child.kill('SIGTERM');
    const closes = await Promise.all(sockets.map((s) => s.closed));
    expect(closes).toEqual([
      { code: 1012, reason: 'reconnect' },
      { code: 1012, reason: 'reconnect' },
    ]);
    expect(await mobile.process.waitForExit(5_000)).toBe(0);
  });
});
