import { bearer, configFileEnv, simControl, startBff, startSims, userToken, type RunningBff, type RunningSims } from '../support';
import { metric, openSocket, openSse, STEADY, until, type LiveSocket, setStock as setStockOf } from './live-clients';

const WATCH = '/inventory.v1.Inventory/WatchAvailability';

/** The inventory upstream as a BFF reaches it: gRPC, the repo's contract. */
const inventory = (url: string) =>
  configFileEnv({
    upstreams: { inventory: { urls: [url], protocol: 'grpc', critical: false, grpc: { protoFile: 'inventory/v1/inventory.proto', service: 'inventory.v1.Inventory' } } },
  });

// Many processes and connections on a shared 2-core machine: generous time per test, never a timing assertion.
jest.setTimeout(60_000);

describe("live stock:<productId> topics from inventory's gRPC watch", () => {
  let sims: RunningSims;
  let mobile: RunningBff;
  let web: RunningBff;
  let alice: string;
  const sockets: LiveSocket[] = [];

  const setStock = (sku: string, stock: number) => setStockOf(sims.urls.inventory, sku, stock);

  beforeAll(async () => {
    sims = await startSims(['identity', 'orders', 'inventory', 'users', 'catalog']);
    [mobile, web] = await Promise.all([
      startBff('mobile-bff', sims.urls, { ...inventory(sims.urls.inventory), LIVE_MAX_CONNECTIONS_PER_USER: '50', ...STEADY }),
      startBff('web-bff', sims.urls, { ...inventory(sims.urls.inventory), ...STEADY }),
    ]);
    alice = await userToken(sims.urls.identity, 'alice');
  });
  afterAll(async () => {
    for (const socket of sockets) socket.ws.terminate();
    await Promise.all([mobile?.stop(), web?.stop()]);
    await sims?.stop();
  });

  it('opens one watch per product however many clients follow it, and sends each change to them', async () => {
    await simControl(sims.urls.inventory).clearStats();
    const url = `${mobile.url.replace('http', 'ws')}/api/live`;
    const p1 = await Promise.all(Array.from({ length: 10 }, () => openSocket(`${url}?topics=stock:p1`, { headers: bearer(alice) })));
    sockets.push(...p1);
    // The watch opens with the current stock: every client gets it first.
    // The first watch may need a few tries while the machine is busy (the feed retries with backoff).
    await until(() => p1.every((s) => s.frames.length === 1), 'the current stock', 40_000);
    expect(p1[0].frames[0]).toEqual({ id: expect.any(String), topic: 'stock:p1', data: expect.objectContaining({ productId: 'p1', stock: expect.any(Number) }) });
    // A client joining the open watch later starts from the same current stock (kept by the hub), then p2's.
    const both = await openSocket(`${url}?topics=stock:p1,stock:p2,orders`, { headers: bearer(alice) });
    sockets.push(both);
    await until(() => both.frames.length === 2, "the late client's current stock", 40_000);
    expect(both.frames.find((f) => f.topic === 'stock:p1')).toEqual(p1[0].frames[0]);

    await setStock('p1', 0);
    await until(() => p1.every((s) => s.frames.length === 2) && both.frames.length === 3, 'the change');
    expect(p1[0].frames[1].data).toMatchObject({ productId: 'p1', stock: 0, available: false });
    expect(both.frames[2]).toEqual(p1[0].frames[1]);
    // One feed per product (and the orders change feed), 11 clients: a watch that failed to open on a busy machine is retried, so the sim may count more calls.
    expect(await metric(mobile.managementUrl, 'gateway_live_upstream_feeds{app="mobile-bff"}')).toBe(3);
    expect((await simControl(sims.urls.inventory).stats()).byRoute[WATCH]).toBeGreaterThanOrEqual(2);
  });

  it('serves the same topics as Server-Sent Events on web-bff', async () => {
    const stream = await openSse(`${web.url}/api/live?topics=stock:p3`, bearer(alice));
    await until(() => stream.frames().length === 1, 'the current stock', 40_000);
    await setStock('p3', 42);
    await until(() => stream.frames().length === 2, 'the change');
    expect(stream.frames()[1]).toMatchObject({ topic: 'stock:p3', data: { productId: 'p3', stock: 42, available: true } });
    stream.close();
  });
});
