import { makeTestCertificates, type TestCertificates } from '@gateway/kernel/testing';
import { configFileEnv, expectProblem, request, simControl, startBff, startSims, type RunningBff, type RunningSims } from '../support';

const KEY = { 'x-api-key': 'demo-gold-key' };
const GET = '/inventory.v1.Inventory/GetAvailability';

/**
 * gRPC over TLS to an upstream with a private CA: the inventory sim serves
 * TLS with a certificate made here (openssl) for `inventory.test`, and two
 * built partner-bffs dial it at `https://`, one trusting the CA
 * (`UPSTREAM_INVENTORY_TLS_CA_FILE`), one not.
 */
describe('inventory over gRPC with TLS (private CA, built partner-bff)', () => {
  let certs: TestCertificates;
  let sims: RunningSims;
  let trusting: RunningBff;
  let untrusting: RunningBff;
  let inventory: ReturnType<typeof simControl>;

  beforeAll(async () => {
    certs = makeTestCertificates('inventory.test');
    sims = await startSims(['users', 'catalog', 'orders', 'reviews', 'inventory'], { SIM_INVENTORY_TLS_CERT: certs.serverCertFile, SIM_INVENTORY_TLS_KEY: certs.serverKeyFile });
    inventory = simControl(sims.urls.inventory);
    // The control routes stay plain HTTP at the sim's URL; gRPC is TLS at the same host and port.
    const upstreams = { ...sims.urls, identity: undefined, inventory: sims.urls.inventory.replace(/^http:/, 'https:') };
    const quiet = configFileEnv({ throttling: { enabled: false }, overload: { enabled: false }, upstreams: { inventory: { retry: { maxAttempts: 0 }, breaker: { enabled: false } } } });
    const started = await Promise.allSettled([
      startBff('partner-bff', upstreams, { ...quiet, UPSTREAM_INVENTORY_TLS_CA_FILE: certs.caFile, UPSTREAM_INVENTORY_TLS_SERVER_NAME: certs.serverName }),
      startBff('partner-bff', upstreams, { ...quiet, UPSTREAM_INVENTORY_TLS_SERVER_NAME: certs.serverName }),
    ]);
    [trusting, untrusting] = started.map((result) => (result.status === 'fulfilled' ? result.value : undefined)) as RunningBff[];
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  });
  afterAll(async () => {
    await Promise.all([trusting?.stop(), untrusting?.stop()]);
    await sims?.stop();
  });
  beforeEach(() => inventory.clearStats());

  const availability = (bff: RunningBff) => request(`${bff.url}/v1/products/p1/availability`, { headers: KEY });

  it('with the CA trusted, the call goes over TLS and answers', async () => {
    const res = await availability(trusting);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expect.objectContaining({ product_id: 'p1', available: expect.any(Boolean) }));
    expect((await inventory.stats()).byRoute[GET]).toBe(1);
  });

  it('without it, the handshake fails: 503 problem+json with no TLS or upstream detail, and no call reached the sim', async () => {
    const res = await availability(untrusting);
    expectProblem(res, 503);
    expect(res.text).not.toMatch(/certificate|self.signed|inventory\.test|tls|ssl|alert/i);
    expect((await inventory.stats()).byRoute[GET] ?? 0).toBe(0);
  });

  it('readiness says which replica can reach inventory', async () => {
    const ready = await request(`${trusting.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(ready.body.details['upstream:inventory']).toMatchObject({ status: 'up' });
    const notReady = await request(`${untrusting.url}/health/ready`);
    expect(notReady.status).toBe(503);
    expect(notReady.body.details['upstream:inventory']).toMatchObject({ status: 'down' });
    expect(notReady.text).not.toMatch(/certificate|self.signed/i);
  });
});
