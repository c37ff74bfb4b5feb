import { bearer, configFileEnv, startBff, startSims, userToken, type RunningBff, type RunningSims } from '../support';
import { ask, metric, openSocket, orderChanges, STEADY, subjectOf, until, type LiveSocket, setStock as setStockOf } from './live-clients';

/** The inventory upstream as a BFF reaches it: gRPC, the repo's contract. */
const inventory = (url: string) =>
  configFileEnv({
    upstreams: { inventory: { urls: [url], protocol: 'grpc', critical: false, grpc: { protoFile: 'inventory/v1/inventory.proto', service: 'inventory.v1.Inventory' } } },
  });

/** Every message of a user counts against this limit; a name of its own, so that no other suite's counts (in the same Redis) reach it. */
const LIMIT = 60;

// Many processes and connections on a shared 2-core machine: generous time per test, never a timing assertion.
jest.setTimeout(60_000);

describe('mobile-bff WebSocket clients changing their topics after connecting', () => {
  let sims: RunningSims;
  let mobile: RunningBff;
  let alice: string;
  let bob: string;
  let live: string;
  let changes: ReturnType<typeof orderChanges>;
  const open: LiveSocket[] = [];
  const connect = async (query: string, token: string) => {
    const socket = await openSocket(`${live}?${query}`, { headers: bearer(token) });
    open.push(socket);
    return socket;
  };
  const feeds = () => metric(mobile.managementUrl, 'gateway_live_upstream_feeds{app="mobile-bff"}');
  const setStock = (sku: string, stock: number) => setStockOf(sims.urls.inventory, sku, stock);
  const stockOf = (socket: LiveSocket, sku: string) => socket.frames.filter((f) => f.topic === `stock:${sku}`).map((f) => f.data.stock);

  beforeAll(async () => {
    sims = await startSims(['identity', 'orders', 'inventory']);
    mobile = await startBff('mobile-bff', sims.urls, {
      ...inventory(sims.urls.inventory),
      LIVE_MAX_CONNECTIONS_PER_USER: '50',
      LIVE_MAX_TOPICS: '3',
      THROTTLE_LIMITS: JSON.stringify([{ name: 'liveops', ttlMs: 600_000, limit: LIMIT }]),
      ...STEADY,
    });
    [alice, bob] = await Promise.all([userToken(sims.urls.identity, 'alice'), userToken(sims.urls.identity, 'bob')]);
    live = `${mobile.url.replace('http', 'ws')}/api/live`;
    changes = orderChanges(sims.urls.orders);
  });
  // Each test starts with no connection and no feed open.
  afterEach(async () => {
    for (const socket of open.splice(0)) socket.ws.terminate();
    await until(async () => (await metric(mobile.managementUrl, 'gateway_live_connections{app="mobile-bff",transport="websocket"}')) === 0, 'every connection gone');
    await until(async () => (await feeds()) === 0, 'every feed closed');
  });
  afterAll(async () => {
    for (const socket of open) socket.ws.terminate();
    await mobile?.stop();
    await sims?.stop();
  });

  it("delivers a topic subscribed after connecting, a stock topic's current stock first", async () => {
    const watcher = await connect('topics=stock:p4', alice);
    // The first watch may need a few tries while the machine is busy (the feed retries with backoff).
    await until(() => watcher.frames.length === 1, 'the current stock', 40_000);

    const client = await connect('topics=orders', alice);
    expect(await ask(client, { op: 'subscribe', topics: ['stock:p4'] })).toEqual({ op: 'subscribed', topics: ['stock:p4'] });
    // The stock kept by the hub came before the ack.
    expect(client.frames).toEqual([watcher.frames[0]]);
    await setStock('p4', 9);
    await until(() => watcher.frames.length === 2 && client.frames.length === 2, 'the change on both');
    expect(client.frames[1]).toEqual(watcher.frames[1]);
    expect(client.frames[1].data).toMatchObject({ productId: 'p4', stock: 9 });

    const orders = await connect('topics=stock:p4', alice);
    await until(() => orders.frames.length === 1, 'the current stock at connect');
    expect(await ask(orders, { op: 'subscribe', topics: ['orders'] })).toEqual({ op: 'subscribed', topics: ['orders'] });
    const aliceOrder = await changes.firstOrderOf(subjectOf(alice));
    await until(async () => (await changes.subscribers()) === 1, 'the orders feed');
    await changes.setStatus(aliceOrder, 'shipped');
    await until(() => orders.frames.some((f) => f.topic === 'orders'), 'the order change');
    expect(orders.frames.find((f) => f.topic === 'orders')?.data).toMatchObject({ orderId: aliceOrder, status: 'shipped' });
  });

  it('stops a topic on unsubscribe, closing its upstream feed with the last listener', async () => {
    const client = await connect('topics=stock:p5', alice);
    await until(() => client.frames.length === 1, 'the current stock of p5', 40_000);
    expect(await ask(client, { op: 'subscribe', topics: ['stock:p6'] })).toEqual({ op: 'subscribed', topics: ['stock:p6'] });
    await until(() => stockOf(client, 'p6').length === 1, 'the current stock of p6', 40_000);
    expect(await feeds()).toBe(2);

    expect(await ask(client, { op: 'unsubscribe', topics: ['stock:p5'] })).toEqual({ op: 'unsubscribed', topics: ['stock:p5'] });
    // Closed before the ack went out: this replica holds no subscription for p5 any more.
    expect(await feeds()).toBe(1);
    await setStock('p5', 11);
    await setStock('p6', 12);
    await until(() => stockOf(client, 'p6').includes(12), 'the change of p6');
    expect(stockOf(client, 'p5')).toHaveLength(1);

    // With no topic left the connection stays; a topic subscribed again starts from the stock the hub kept.
    expect(await ask(client, { op: 'unsubscribe', topics: ['stock:p6'] })).toEqual({ op: 'unsubscribed', topics: ['stock:p6'] });
    expect(await feeds()).toBe(0);
    expect(await ask(client, { op: 'subscribe', topics: ['stock:p6'] })).toEqual({ op: 'subscribed', topics: ['stock:p6'] });
    // (The watch, opened again, then sends its own current stock too.)
    expect(stockOf(client, 'p6').slice(0, 3)).toEqual([expect.any(Number), 12, 12]);
  });

  it("refuses another user's orders, however they are named, and sends none of them", async () => {
    const client = await connect('topics=stock:p4', alice);
    const others = [`orders:${subjectOf(bob)}`, 'orders:bob'];
    for (const topic of others) {
      expect(await ask(client, { op: 'subscribe', topics: [topic] })).toEqual({ op: 'error', status: 403, detail: "another user's orders cannot be followed" });
    }
    expect(await ask(client, { op: 'subscribe', topics: ['orders:u2/x'] })).toEqual({ op: 'error', status: 400, detail: 'topics[0] is not orders or stock:<productId>' });

    // Its own orders it may follow: bob's change goes out on the same feed before alice's, and never reaches her.
    expect(await ask(client, { op: 'subscribe', topics: ['orders'] })).toEqual({ op: 'subscribed', topics: ['orders'] });
    await until(async () => (await changes.subscribers()) === 1, 'the orders feed');
    const [bobOrder, aliceOrder] = await Promise.all([changes.firstOrderOf(subjectOf(bob)), changes.firstOrderOf(subjectOf(alice))]);
    await changes.setStatus(bobOrder, 'paid');
    await changes.setStatus(aliceOrder, 'delivered');
    await until(() => client.frames.some((f) => f.topic === 'orders'), "alice's order change");
    expect(client.frames.filter((f) => f.topic === 'orders').map((f) => f.data.orderId)).toEqual([aliceOrder]);
  });

  it('answers each invalid message with an error frame that repeats none of it, and keeps the connection', async () => {
    const client = await connect('topics=orders', alice);
    const invalid: (string | object | Buffer)[] = [
      'hello',
      '[1,2]',
      { op: 'dance', topics: ['orders'] },
      { op: 'subscribe' },
      { op: 'subscribe', topics: 'orders' },
      { op: 'subscribe', topics: ['weather'] },
      { op: 'subscribe', topics: ['orders'], user: 'u2' },
      Buffer.from(JSON.stringify({ op: 'subscribe', topics: ['stock:p4'] })),
      // orders and three more: past LIVE_MAX_TOPICS (3) for the connection.
      { op: 'subscribe', topics: ['stock:p1', 'stock:p2', 'stock:p3'] },
    ];
    for (const message of invalid) {
      const reply = await ask(client, message);
      expect(reply).toEqual({ op: 'error', status: 400, detail: expect.any(String) });
      expect(reply.detail).not.toMatch(/hello|dance|weather|u2/);
    }
    expect(client.replies[client.replies.length - 1].detail).toBe('topics: at most 3 per connection');
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    // None of the refused ones opened a feed: orders' alone, until two stock topics are taken.
    await until(async () => (await feeds()) === 1, 'the orders feed');
    expect(await ask(client, { op: 'subscribe', topics: ['stock:p1', 'stock:p2'] })).toEqual({ op: 'subscribed', topics: ['stock:p1', 'stock:p2'] });
    await until(async () => (await feeds()) === 3, 'the two stock feeds', 40_000);
  });

  it("counts every message against the caller's limit, answering 429 past it and keeping the connection", async () => {
    // bob's only requests to this BFF: the handshake counts one.
    const client = await connect('topics=orders', bob);
    for (let i = 1; i < LIMIT; i++) expect(await ask(client, { op: 'subscribe', topics: ['orders'] })).toEqual({ op: 'subscribed', topics: ['orders'] });
    const refused = await ask(client, { op: 'subscribe', topics: ['orders'] });
    expect(refused).toEqual({ op: 'error', status: 429, detail: expect.stringMatching(/^rate limit "liveops" of 60 requests/), retryAfter: expect.any(Number) });
    expect(refused.retryAfter).toBeGreaterThan(0);
    // Garbage too, and a burst of it: one answer each, in order.
    for (let i = 0; i < 20; i++) client.ws.send('garbage');
    await until(() => client.replies.length === LIMIT + 20, 'an answer to each');
    expect(new Set(client.replies.slice(LIMIT).map((r) => r.status))).toEqual(new Set([429]));
    expect(client.ws.readyState).toBe(client.ws.OPEN);
    // The connection and its events go on.
    const bobOrder = await changes.firstOrderOf(subjectOf(bob));
    await until(async () => (await changes.subscribers()) === 1, 'the orders feed');
    await changes.setStatus(bobOrder, 'cancelled');
    await until(() => client.frames.length === 1, "bob's order change");
  });
});
