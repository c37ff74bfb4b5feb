import { Authenticator, hashApiKey } from '../auth';
import { ApiKeyStrategy } from '../auth/api-key.strategy';
import { ApiKeyTable, LiveApiKeys } from '../auth/api-keys/api-key-table';
import { loadGatewayConfig } from '../config';
import { RequestContextStore, type RequestContext } from '../context';
import { GatewayError } from '../errors';
import { AuthFailureLimiter, MemoryRateLimitStore, RateLimiter } from '../throttling';
import { RedisErrorPolicy } from '../throttling/redis-error.policy';
import { ThrottlingMetrics } from '../throttling/throttling.metrics';
import { RequestPolicy } from './request-policy';

const config = loadGatewayConfig(
  {
    app: 'policy-spec',
    auth: { mode: 'api-key', apiKeys: [{ id: 'acme', sha256: hashApiKey('acme-key'), tier: 'free', scopes: ['things:read'] }] },
    throttling: { limits: [{ name: 'burst', ttlMs: 60_000, limit: 2 }], tiers: { free: {} }, defaultTier: 'free' },
  } as never,
  {},
);

function policyWithMemoryStore() {
  const store = new MemoryRateLimitStore();
  const metrics = new ThrottlingMetrics();
  const failures = new RedisErrorPolicy('fail-open', metrics, 60_000);
  const authenticator = new Authenticator([new ApiKeyStrategy(new LiveApiKeys(ApiKeyTable.of(config.auth.apiKeys)), config.auth.apiKeyHeader, config.app)], 'api-key');
  const limiter = new RateLimiter(config, store, failures, metrics, []);
  const authFailures = new AuthFailureLimiter(config.throttling.authFailures, config, store, failures, metrics);
  return { policy: new RequestPolicy(authenticator, limiter, authFailures), store };
}

function reply() {
  const headers: Record<string, string> = {};
  return { headers, header: (name: string, value: string) => (headers[name] = value) };
}

describe('RequestPolicy with credentials known at once and the in-memory store', () => {
  const { policy: requestPolicy, store } = policyWithMemoryStore();
  afterAll(() => store.onApplicationShutdown());
  const route = requestPolicy.resolve({ id: 'things', paths: ['/api/things'], auth: { scopes: ['things:read'] } });
  const key = { 'x-api-key': 'acme-key' };

  it('admits without a promise: headers written, the caller in the request context, when enforce returns', () => {
    const context = { requestId: 'r1' } as RequestContext;
    const target = reply();
    const pending = RequestContextStore.run(context, () => requestPolicy.enforce(route, { headers: key, ip: '203.0.113.1' }, target));
    expect(pending).toBeUndefined();
    expect(context.principal).toMatchObject({ kind: 'partner', id: 'acme' });
    expect(target.headers).toMatchObject({ 'cache-control': 'private, no-store', 'ratelimit-limit': '2', 'ratelimit-remaining': '1' });
  });

  it('refuses past the limit with the 429 thrown at once', () => {
    const target = reply();
    const refused = (() => {
      try {
        requestPolicy.enforce(route, { headers: key, ip: '203.0.113.1' }, target);
        requestPolicy.enforce(route, { headers: key, ip: '203.0.113.1' }, target);
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(GatewayError);
    expect((refused as GatewayError).status).toBe(429);
    expect(target.headers['ratelimit-remaining']).toBe('0');
  });

  it('answers 403 at once when a known key lacks the route scope', () => {
    const scoped = requestPolicy.resolve({ id: 'admin', paths: ['/api/admin'], auth: { scopes: ['admin'] } });
    expect(() => requestPolicy.enforce(scoped, { headers: key, ip: '203.0.113.2' }, reply())).toThrow('missing scope admin');
  });

  it('leaves an unknown key to the full attempt, which refuses it with 401', async () => {
    const pending = requestPolicy.enforce(route, { headers: { 'x-api-key': 'not-a-key' }, ip: '203.0.113.3' }, reply());
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toMatchObject({ code: 'unauthorized' });
  });
});

describe('RequestPolicy.count', () => {
  const { policy: requestPolicy, store } = policyWithMemoryStore();
  afterAll(() => store.onApplicationShutdown());
  const route = requestPolicy.resolve({ id: 'live', paths: ['/api/live'], auth: { scopes: ['things:read'] } });
  const key = { 'x-api-key': 'acme-key' };

  it("counts a later message of an admitted caller against the same limit as its request, and refuses past it with 429", () => {
    const target = reply();
    expect(requestPolicy.enforce(route, { headers: key, ip: '203.0.113.9' }, target)).toBeUndefined();
    const principal = { kind: 'partner' as const, id: 'acme', tier: 'free', scopes: ['things:read'] };
    expect(requestPolicy.count(route, { principal, ip: '203.0.113.9' })).toBeUndefined();
    expect(() => requestPolicy.count(route, { principal, ip: '203.0.113.9' })).toThrow(expect.objectContaining({ status: 429 }));
    // Another caller has its own count.
    expect(requestPolicy.count(route, { principal: { ...principal, id: 'other' }, ip: '203.0.113.9' })).toBeUndefined();
  });

  it('counts nothing on a route without limits', () => {
    const open = requestPolicy.resolve({ id: 'live', paths: ['/api/live'], auth: { public: true }, throttle: { skipAll: true } });
    for (let i = 0; i < 5; i++) expect(requestPolicy.count(open, {})).toBeUndefined();
  });
});
