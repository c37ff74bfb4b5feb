import type { UpstreamRequest, UpstreamResponse } from '../pipeline/upstream-call';
import { parseCacheControl } from './cache-control';
import { storagePlan } from './cache-policy';

const defaults = { ttlMs: 0, staleIfErrorMs: 30_000 };
const anonymous: UpstreamRequest = { method: 'GET', path: '/p', headers: {} };
const alice: UpstreamRequest = { method: 'GET', path: '/p', headers: { 'x-user-id': 'alice' } };
const answer = (headers: Record<string, string>, statusCode = 200) => ({ statusCode, headers }) as unknown as UpstreamResponse;

describe('parseCacheControl', () => {
  it('reads the directives the cache acts on', () => {
    expect(parseCacheControl('public, max-age=60, s-maxage="120", stale-if-error=30, must-revalidate')).toEqual({
      noStore: false,
      noCache: false,
      private: false,
      mustRevalidate: true,
      maxAgeSec: 60,
      sMaxAgeSec: 120,
      staleIfErrorSec: 30,
    });
    expect(parseCacheControl('No-Store, PRIVATE, max-age=abc')).toMatchObject({ noStore: true, private: true, maxAgeSec: undefined });
  });
});

describe('storagePlan', () => {
  it('keeps nothing the upstream marks no-store or no-cache, whatever the TTL', () => {
    expect(storagePlan(answer({ 'cache-control': 'no-store' }), { ...anonymous, cacheTtlMs: 60_000 }, defaults)).toBeNull();
    expect(storagePlan(answer({ 'cache-control': 'no-cache, max-age=60' }), anonymous, defaults)).toBeNull();
  });

  it('takes max-age (less Age) over the TTL, and the TTL when the upstream says nothing', () => {
    expect(storagePlan(answer({ 'cache-control': 'max-age=60', age: '10' }), { ...anonymous, cacheTtlMs: 5_000 }, defaults)).toEqual({
      freshMs: 50_000,
      staleMs: 30_000,
    });
    expect(storagePlan(answer({}), { ...anonymous, cacheTtlMs: 5_000 }, defaults)).toEqual({ freshMs: 5_000, staleMs: 30_000 });
    expect(storagePlan(answer({}), anonymous, { ...defaults, ttlMs: 2_000 })?.freshMs).toBe(2_000);
    expect(storagePlan(answer({}), anonymous, defaults)).toBeNull();
  });

  it('uses s-maxage for answers shared across callers and max-age for one caller', () => {
    const headers = { 'cache-control': 'max-age=10, s-maxage=100' };
    expect(storagePlan(answer(headers), anonymous, defaults)?.freshMs).toBe(100_000);
    expect(storagePlan(answer(headers), alice, defaults)?.freshMs).toBe(10_000);
  });

  it('keeps a private answer only for the caller it was made for', () => {
    const headers = { 'cache-control': 'private, max-age=60' };
    expect(storagePlan(answer(headers), alice, defaults)).not.toBeNull();
    expect(storagePlan(answer(headers), anonymous, defaults)).toBeNull();
    expect(storagePlan(answer(headers), { ...alice, shared: true }, defaults)).toBeNull();
  });

  it('keeps only 200s without cookies, whose Vary the key covers', () => {
    expect(storagePlan(answer({ 'cache-control': 'max-age=60' }, 404), anonymous, defaults)).toBeNull();
    expect(storagePlan(answer({ 'cache-control': 'max-age=60', 'set-cookie': 'a=b' }), anonymous, defaults)).toBeNull();
    expect(storagePlan(answer({ 'cache-control': 'max-age=60', vary: 'Accept-Encoding, X-User-Id' }), anonymous, defaults)).not.toBeNull();
    expect(storagePlan(answer({ 'cache-control': 'max-age=60', vary: 'Cookie' }), anonymous, defaults)).toBeNull();
    expect(storagePlan(answer({ 'cache-control': 'max-age=60', vary: '*' }), anonymous, defaults)).toBeNull();
  });

  it('takes the stale window from stale-if-error, none with must-revalidate', () => {
    expect(storagePlan(answer({ 'cache-control': 'max-age=1, stale-if-error=5' }), anonymous, defaults)?.staleMs).toBe(5_000);
    expect(storagePlan(answer({ 'cache-control': 'max-age=1, must-revalidate' }), anonymous, defaults)?.staleMs).toBe(0);
  });
});
