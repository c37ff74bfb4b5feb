import { createHash } from 'node:crypto';
import { bearer, expectProblem, postJson, request, simControl, startBff, startSims, type RunningBff, type RunningSims } from '../support';

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
const PARTNER_KEYS = [
  { id: 'acme', key: 'security-acme-key', tier: 'gold', scopes: ['products:read', 'orders:write'], customers: ['u3'] },
  { id: 'globex', key: 'security-globex-key', tier: 'gold', scopes: ['products:read', 'orders:write'], customers: ['u3', 'u7'] },
];
const partnerKey = (id: string) => ({ 'x-api-key': PARTNER_KEYS.find((k) => k.id === id)!.key });

async function token(identity: string, username: string, scope?: string): Promise<string> {
  const res = await postJson(`${identity}/oauth/token`, { grant_type: 'password', username, password: `${username}-password`, ...(scope ? { scope } : {}) });
  if (res.status !== 200) throw new Error(`token for ${username}: ${res.status} ${res.text}`);
  return res.body.access_token as string;
}

describe('security: callers are kept apart', () => {
  let sims: RunningSims;
  let web: RunningBff;
  let mobile: RunningBff;
  let partner: RunningBff;

  beforeAll(async () => {
    sims = await startSims(['identity', 'users', 'catalog', 'orders', 'reviews', 'inventory']);
    // One at a time, so a BFF that fails to start leaves the others assigned for afterAll to stop.
    web = await startBff('web-bff', sims.urls);
    mobile = await startBff('mobile-bff', sims.urls);
    partner = await startBff('partner-bff', { catalog: sims.urls.catalog, orders: sims.urls.orders }, {
      API_KEYS: JSON.stringify(PARTNER_KEYS.map(({ id, key, tier, scopes, customers }) => ({ id, sha256: sha256(key), tier, scopes, customers }))),
    });
  });
  afterAll(async () => {
    await Promise.all([web?.stop(), mobile?.stop(), partner?.stop()]);
    await sims?.stop();
  });

  describe('user token scopes are checked on every route that needs them', () => {
    it('the identity sim grants the demo users profile, orders:read and orders:write by default, fewer on request', async () => {
      const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
      expect(claims(await token(sims.urls.identity, 'alice')).scope).toBe('profile orders:read orders:write');
      expect(claims(await token(sims.urls.identity, 'alice', 'profile')).scope).toBe('profile');
    });

    it('a token with only profile cannot place orders (web) or read them (web dashboard, mobile)', async () => {
      const profileOnly = bearer(await token(sims.urls.identity, 'alice', 'profile'));
      const placed = await postJson(`${web.url}/api/orders`, { items: [{ productId: 'p5', quantity: 1 }] }, profileOnly);
      expectProblem(placed, 403);
      expect(placed.body.detail).toBe('missing scope orders:write');
      expectProblem(await request(`${web.url}/api/dashboard`, { headers: profileOnly }), 403);
      expectProblem(await request(`${mobile.url}/api/home`, { headers: profileOnly }), 403);
      expectProblem(await request(`${mobile.url}/api/orders/o1`, { headers: profileOnly }), 403);
    });

    it('the scopes a route names are enough: orders:read reads, orders:write writes', async () => {
      const reader = bearer(await token(sims.urls.identity, 'alice', 'profile orders:read'));
      expect((await request(`${web.url}/api/dashboard`, { headers: reader })).status).toBe(200);
      expectProblem(await postJson(`${web.url}/api/orders`, { items: [{ productId: 'p5', quantity: 1 }] }, reader), 403);
      const writer = bearer(await token(sims.urls.identity, 'alice', 'orders:write'));
      expect((await postJson(`${web.url}/api/orders`, { items: [{ productId: 'p5', quantity: 1 }] }, writer)).status).toBe(201);
    });
  });

  describe('idempotency keys belong to (caller, route)', () => {
    it("web-bff: Bob sending Alice's Idempotency-Key gets an order of his own, never hers", async () => {
      const [alice, bob] = [bearer(await token(sims.urls.identity, 'alice')), bearer(await token(sims.urls.identity, 'bob'))];
      const key = { 'idempotency-key': `shared-key-${Date.now()}` };
      const order = { items: [{ productId: 'p5', quantity: 1 }] };
      const first = await postJson(`${web.url}/api/orders`, order, { ...alice, ...key });
      expect(first.status).toBe(201);
      const other = await postJson(`${web.url}/api/orders`, order, { ...bob, ...key });
      expect(other.status).toBe(201);
      expect(other.headers.get('idempotency-replayed')).toBeNull();
      expect(other.body.id).not.toBe(first.body.id);
      const again = await postJson(`${web.url}/api/orders`, order, { ...alice, ...key });
      expect([again.status, again.headers.get('idempotency-replayed'), again.body.id]).toEqual([201, 'true', first.body.id]);
    });

    it("web-bff: another caller's key in use is never reported (no 409 for a different body)", async () => {
      const [alice, bob] = [bearer(await token(sims.urls.identity, 'alice')), bearer(await token(sims.urls.identity, 'bob'))];
      const key = { 'idempotency-key': `other-body-${Date.now()}` };
      expect((await postJson(`${web.url}/api/orders`, { items: [{ productId: 'p5', quantity: 1 }] }, { ...alice, ...key })).status).toBe(201);
      const bobs = await postJson(`${web.url}/api/orders`, { items: [{ productId: 'p6', quantity: 2 }] }, { ...bob, ...key });
      expect([bobs.status, bobs.headers.get('idempotency-replayed')]).toEqual([201, null]);
    });

    it('partner-bff: two partners with the same Idempotency-Key each get their own order', async () => {
      const key = { 'idempotency-key': `partner-key-${Date.now()}` };
      const order = { customer_id: 'u3', lines: [{ product_id: 'p5', quantity: 1 }] };
      const acme = await postJson(`${partner.url}/v1/orders`, order, { ...partnerKey('acme'), ...key });
      const globex = await postJson(`${partner.url}/v1/orders`, order, { ...partnerKey('globex'), ...key });
      expect([acme.status, globex.status]).toEqual([201, 201]);
      expect(globex.headers.get('idempotency-replayed')).toBeNull();
      expect(globex.body.order_id).not.toBe(acme.body.order_id);
      const conflict = await postJson(`${partner.url}/v1/orders`, { ...order, lines: [{ product_id: 'p6', quantity: 1 }] }, { ...partnerKey('globex'), ...key });
      expectProblem(conflict, 409);
    });
  });

  describe('partner orders are bound to the key\'s own customers', () => {
    it('a gold partner cannot place an order for a customer not declared for its key (403, nothing reaches orders)', async () => {
      const orders = simControl(sims.urls.orders);
      await orders.clearStats();
      const forGlobex = await postJson(`${partner.url}/v1/orders`, { customer_id: 'u7', lines: [{ product_id: 'p5', quantity: 1 }] }, partnerKey('acme'));
      expectProblem(forGlobex, 403);
      expect(forGlobex.text).not.toContain('u7');
      expect((await orders.stats()).lastRequests.filter((r) => r.method === 'POST')).toHaveLength(0);
      const own = await postJson(`${partner.url}/v1/orders`, { customer_id: 'u7', lines: [{ product_id: 'p5', quantity: 1 }] }, partnerKey('globex'));
      expect([own.status, own.body.customer_id]).toEqual([201, 'u7']);
    });
  });
});
