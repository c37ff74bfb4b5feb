import 'reflect-metadata';
import { SkipThrottle, Throttle } from '@nestjs/throttler';
import { asPartner, startThrottlingTestApp, type ThrottlingTestApp } from '../testing/throttling-test-app';
import { trackerOf } from './request-tracker';
import { THROTTLER_BLOCK_DURATION, THROTTLER_LIMIT, THROTTLER_SKIP, THROTTLER_TTL } from './throttling.constants';

const DAY_S = 86_400;

/** Sends `count` GETs one after another and returns the responses. */
async function hit(url: string, count: number, headers: Record<string, string> | ((i: number) => Record<string, string>) = {}) {
  const responses: Response[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(url, { headers: typeof headers === 'function' ? headers(i) : headers });
    await response.arrayBuffer();
    responses.push(response);
  }
  return responses;
}

const statuses = (responses: Response[]) => responses.map((r) => r.status);
const header = (r: Response, name: string) => r.headers.get(name);

describe('rate limits on controller routes (in-memory store)', () => {
  let t: ThrottlingTestApp;
  beforeEach(async () => (t = await startThrottlingTestApp()));
  afterEach(() => t.close());

  it('counts anonymous callers by client IP and answers 429 problem+json with Retry-After past the limit', async () => {
    const responses = await hit(`${t.url}/open`, 5);
    expect(statuses(responses)).toEqual([200, 200, 200, 200, 429]);
    expect(responses.slice(0, 4).map((r) => header(r, 'ratelimit-remaining'))).toEqual(['3', '2', '1', '0']);
    for (const r of responses) {
      expect(header(r, 'ratelimit-limit')).toBe('4');
      expect(header(r, 'ratelimit-policy')).toBe('4;w=60, 50;w=3600');
    }
    for (const r of responses.slice(0, 4)) {
      expect(Number(header(r, 'ratelimit-reset'))).toBeGreaterThan(0);
      expect(Number(header(r, 'ratelimit-reset'))).toBeLessThanOrEqual(60);
      expect(header(r, 'retry-after')).toBeNull();
    }
    const refused = responses[4];
    expect(header(refused, 'content-type')).toContain('application/problem+json');
    // Sliding window: the 4 hits keep counting, weighted, into the next minute.
    const retryAfter = Number(header(refused, 'retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(120);
    expect(header(refused, 'ratelimit-remaining')).toBe('0');
    expect(header(refused, 'ratelimit-reset')).toBe(String(retryAfter));
    const problem = (await (await fetch(`${t.url}/open`)).json()) as Record<string, string>;
    expect(problem).toMatchObject({ status: 429, title: 'Too Many Requests', instance: '/open' });
    expect(problem.type).toMatch(/rate-limited$/);
    expect(problem.detail).toBe('rate limit "burst" of 4 requests per 60s exceeded');
  });

  it('gives a rotating X-Forwarded-For no fresh bucket when no proxy is trusted', async () => {
    const responses = await hit(`${t.url}/open`, 6, (i) => ({ 'x-forwarded-for': `198.51.100.${i + 1}` }));
    expect(statuses(responses)).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('picks a partner limit by tier, counted by API key id, beside an anonymous caller from the same IP', async () => {
    expect(statuses(await hit(`${t.url}/items`, 4, asPartner('free-a')))).toEqual([200, 200, 200, 429]);
    expect(statuses(await hit(`${t.url}/items`, 3, asPartner('free-b')))).toEqual([200, 200, 200]);
    expect(statuses(await hit(`${t.url}/items`, 10, asPartner('gold')))).toEqual(Array(10).fill(200));
    expect((await hit(`${t.url}/items`, 1, asPartner('gold')))[0].status).toBe(429);
    expect((await hit(`${t.url}/open`, 1))[0].status).toBe(200);
  });

  it('a partner of an unknown tier gets the default tier', async () => {
    const responses = await hit(`${t.url}/items`, 4, asPartner('odd'));
    expect(statuses(responses)).toEqual([200, 200, 200, 429]);
    expect(header(responses[0], 'ratelimit-limit')).toBe('3');
  });

  it('holds a daily quota beside the rate limit: 429 quota-exceeded with Retry-After until 00:00 UTC', async () => {
    const responses = await hit(`${t.url}/quota-only`, 6, asPartner('free-c'));
    expect(statuses(responses)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(responses.slice(0, 5).map((r) => header(r, 'ratelimit-remaining'))).toEqual(['4', '3', '2', '1', '0']);
    expect(header(responses[0], 'ratelimit-limit')).toBe('5');
    const refused = responses[5];
    const untilMidnight = DAY_S - Math.floor((Date.now() % 86_400_000) / 1000);
    expect(Math.abs(Number(header(refused, 'retry-after')) - untilMidnight)).toBeLessThanOrEqual(5);
    expect(header(refused, 'ratelimit-reset')).toBe(header(refused, 'retry-after'));
    const problem = (await (await fetch(`${t.url}/items`, { headers: asPartner('free-c') })).json()) as Record<string, string>;
    expect(problem).toMatchObject({ status: 429, title: 'Quota Exceeded' });
    expect(problem.type).toMatch(/quota-exceeded$/);
    // A route that skips the quota still answers.
    expect((await hit(`${t.url}/usage`, 1, asPartner('free-c')))[0].status).toBe(200);
  });

  it('a refused request uses up nothing: rate-limited calls do not eat the quota', async () => {
    expect(statuses(await hit(`${t.url}/items`, 6, asPartner('free-d')))).toEqual([200, 200, 200, 429, 429, 429]);
    // 3 counted against the quota of 5: two more pass on a route without the burst limit.
    expect(statuses(await hit(`${t.url}/quota-only`, 3, asPartner('free-d')))).toEqual([200, 200, 429]);
  });

  it('applies @Throttle overrides on the route alone, and route-only limits', async () => {
    expect(statuses(await hit(`${t.url}/tight`, 3))).toEqual([200, 200, 429]);
    const shared = await hit(`${t.url}/open`, 1);
    expect(header(shared[0], 'ratelimit-remaining')).toBe('3');
    expect(statuses(await hit(`${t.url}/expensive`, 2))).toEqual([200, 429]);
    expect(statuses(await hit(`${t.url}/dynamic`, 2))).toEqual([200, 429]);
  });

  it('never throttles @SkipThrottle() routes, or anything under /health, /metrics or /docs', async () => {
    for (const path of ['/unthrottled', '/metrics/probe', '/docs/probe', '/docs/json', '/health/live', '/health/ready']) {
      const responses = await hit(`${t.url}${path}`, 6);
      expect(statuses(responses)).toEqual(Array(6).fill(200));
      expect(responses.every((r) => header(r, 'ratelimit-limit') === null)).toBe(true);
    }
    // A path merely starting with the same letters is throttled.
    expect(statuses(await hit(`${t.url}/metricsx`, 5))).toEqual([200, 200, 200, 200, 429]);
  });
});

describe('rate limits behind a trusted proxy', () => {
  let t: ThrottlingTestApp;
  beforeAll(async () => (t = await startThrottlingTestApp({ http: { trustProxy: '127.0.0.1' } })));
  afterAll(() => t.close());

  it('counts the client the trusted proxy names in X-Forwarded-For', async () => {
    const a = { 'x-forwarded-for': '203.0.113.10' };
    expect(statuses(await hit(`${t.url}/open`, 5, a))).toEqual([200, 200, 200, 200, 429]);
    expect(statuses(await hit(`${t.url}/open`, 2, { 'x-forwarded-for': '203.0.113.11' }))).toEqual([200, 200]);
    // A client prepending its own entries is still counted by the address the proxy saw.
    expect((await hit(`${t.url}/open`, 1, { 'x-forwarded-for': '10.9.9.9, 203.0.113.10' }))[0].status).toBe(429);
  });
});

describe('trackerOf', () => {
  it('counts partners by key id, users by subject, anonymous callers by IP (IPv6 by /64)', () => {
    expect(trackerOf('203.0.113.9', { kind: 'partner', id: 'acme', scopes: [], tier: 'gold' })).toBe('key:acme');
    expect(trackerOf('203.0.113.9', { kind: 'user', id: '42', scopes: [] })).toBe('user:42');
    expect(trackerOf('203.0.113.9')).toBe('ip:203.0.113.9');
    expect(trackerOf('2001:db8:1:2:aaaa::1')).toBe(trackerOf('2001:db8:1:2:bbbb::2'));
    expect(trackerOf('::ffff:203.0.113.9')).toBe('ip:203.0.113.9');
  });
});

describe('@nestjs/throttler metadata keys', () => {
  it('are the ones @Throttle and @SkipThrottle write', () => {
    class Target {
      @Throttle({ burst: { limit: 1, ttl: 2, blockDuration: 3 } }) @SkipThrottle({ quota: true }) route() {
        return 'throttled';
      }
    }
    const handler = Target.prototype.route;
    expect(Reflect.getMetadata(`${THROTTLER_LIMIT}burst`, handler)).toBe(1);
    expect(Reflect.getMetadata(`${THROTTLER_TTL}burst`, handler)).toBe(2);
    expect(Reflect.getMetadata(`${THROTTLER_BLOCK_DURATION}burst`, handler)).toBe(3);
    expect(Reflect.getMetadata(`${THROTTLER_SKIP}quota`, handler)).toBe(true);
  });
});
