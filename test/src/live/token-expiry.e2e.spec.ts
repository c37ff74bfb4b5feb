import { bearer, signedToken, startBff, startSims, type RunningBff, type RunningSims } from '../support';
import { metric, openSocket, openSse, orderChanges, STEADY, subjectOf, until, type LiveSocket, type SseStream } from './live-clients';

// Many processes and connections on a shared 2-core machine: generous time per test, never a timing assertion.
jest.setTimeout(60_000);

/** Seconds from now to `exp` of the short-lived token: it expires while the test watches. */
const SHORT_SECONDS = 2;
const HOUR_SECONDS = 3_600;

/** Epoch ms of a JWT's `exp`. */
const expOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number }).exp * 1000;

describe('a live connection ends when its token expires', () => {
  let sims: RunningSims;
  let mobile: RunningBff;
  let web: RunningBff;
  let changes: ReturnType<typeof orderChanges>;
  const sockets: LiveSocket[] = [];
  const streams: SseStream[] = [];

  // Heartbeats far apart: a close at the token's exp is the expiry's doing, not a heartbeat's.
  const env = { LIVE_HEARTBEAT_MS: '30000', LIVE_MAX_CONNECTIONS_PER_USER: '20', ...STEADY };
  beforeAll(async () => {
    sims = await startSims(['identity', 'orders', 'users', 'catalog']);
    [mobile, web] = await Promise.all([startBff('mobile-bff', sims.urls, env), startBff('web-bff', sims.urls, env)]);
    changes = orderChanges(sims.urls.orders);
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.ws.terminate();
    for (const stream of streams.splice(0)) stream.close();
  });
  afterAll(async () => {
    await Promise.all([mobile?.stop(), web?.stop()]);
    await sims?.stop();
  });

  const tokenFor = (seconds: number) => signedToken(sims.urls.identity, {}, { expiresIn: seconds });

  it('closes a WebSocket with 4001 "token expired" at its exp; one with an hour-long token stays and keeps its events', async () => {
    const live = `${mobile.url.replace('http', 'ws')}/api/live?topics=orders`;
    const [short, long] = await Promise.all([tokenFor(SHORT_SECONDS), tokenFor(HOUR_SECONDS)]);
    const before = await metric(mobile.managementUrl, 'gateway_live_disconnects_total{app="mobile-bff",reason="expired"}');
    const expiring = await openSocket(live, { headers: bearer(short) });
    const lasting = await openSocket(live, { headers: bearer(long) });
    sockets.push(expiring, lasting);

    const closed = await expiring.closed;
    expect(closed).toEqual({ code: 4001, reason: 'token expired' });
    // Not before its exp (the server's clock is this machine's).
    expect(Date.now()).toBeGreaterThanOrEqual(expOf(short));
    expect(await metric(mobile.managementUrl, 'gateway_live_disconnects_total{app="mobile-bff",reason="expired"}')).toBe(before + 1);

    // The hour-long one is still open and still gets the user's events.
    expect(lasting.ws.readyState).toBe(lasting.ws.OPEN);
    const order = await changes.firstOrderOf(subjectOf(long));
    await until(async () => (await changes.subscribers()) === 1, 'the feed');
    await changes.setStatus(order, 'shipped');
    await until(() => lasting.frames.length === 1, 'the event on the lasting socket');
    expect(lasting.frames[0]).toMatchObject({ topic: 'orders', data: { orderId: order, status: 'shipped' } });
    expect(expiring.frames).toHaveLength(0);
  });

  it('ends an SSE stream at its exp with a final "reconnect" event saying the token expired; one with an hour-long token stays', async () => {
    const live = `${web.url}/api/live?topics=orders`;
    const [short, long] = await Promise.all([tokenFor(SHORT_SECONDS), tokenFor(HOUR_SECONDS)]);
    const expiring = await openSse(live, bearer(short));
    const lasting = await openSse(live, bearer(long));
    streams.push(expiring, lasting);
    expect([expiring.status, lasting.status]).toEqual([200, 200]);
    let lastingEnded = false;
    void lasting.ended.then(() => (lastingEnded = true));

    await expiring.ended;
    expect(Date.now()).toBeGreaterThanOrEqual(expOf(short));
    expect(expiring.events.at(-1)).toEqual({ event: 'reconnect', data: '{"reason":"expired","detail":"the token expired; reconnect with a fresh one"}' });
    expect(await metric(web.managementUrl, 'gateway_live_disconnects_total{app="web-bff",reason="expired"}')).toBeGreaterThanOrEqual(1);

    const order = await changes.firstOrderOf(subjectOf(long));
    await until(async () => (await changes.subscribers()) === 1, 'the feed');
    await changes.setStatus(order, 'delivered');
    await until(() => lasting.frames().length === 1, 'the event on the lasting stream');
    expect(lasting.frames()[0]).toMatchObject({ topic: 'orders', data: { orderId: order, status: 'delivered' } });
    expect(lastingEnded).toBe(false);

    // The expired token again: within the JWT clock tolerance it is let in, and ended at once the same way.
    const again = await openSse(live, bearer(short));
    streams.push(again);
    if (again.status === 200) {
      await again.ended;
      expect(again.events).toEqual([{ event: 'reconnect', data: '{"reason":"expired","detail":"the token expired; reconnect with a fresh one"}' }]);
    } else {
      expect(again.status).toBe(401);
    }
    // A fresh token is let in.
    const fresh = await openSse(live, bearer(await tokenFor(HOUR_SECONDS)));
    streams.push(fresh);
    expect(fresh.status).toBe(200);
  });
});
