import { Principal } from '../context';
import { VerifiedTokenCache } from './verified-token-cache';

const alice: Principal = { kind: 'user', id: 'alice', scopes: ['a'] };
const bob: Principal = { kind: 'user', id: 'bob', scopes: [] };

describe('VerifiedTokenCache', () => {
  afterEach(() => jest.restoreAllMocks());

  it('returns the principal of a stored token, and nothing for any other string', () => {
    const cache = new VerifiedTokenCache(10);
    cache.set('h.p.sig', alice, Date.now() + 60_000);
    expect(cache.get('h.p.sig')).toBe(alice);
    expect(cache.get('h.p.sig2')).toBeUndefined();
    expect(cache.get('h.p.si')).toBeUndefined();
  });

  it('drops an entry at its exp', () => {
    const cache = new VerifiedTokenCache(10);
    const now = Date.now();
    cache.set('t', alice, now + 1_000);
    jest.spyOn(Date, 'now').mockReturnValue(now + 999);
    expect(cache.get('t')).toBe(alice);
    jest.spyOn(Date, 'now').mockReturnValue(now + 1_000);
    expect(cache.get('t')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('does not keep a token that is already expired', () => {
    const cache = new VerifiedTokenCache(10);
    cache.set('t', alice, Date.now() - 1);
    expect(cache.size).toBe(0);
    expect(cache.get('t')).toBeUndefined();
  });

  it('stays within its bound, evicting the least recently used', () => {
    const cache = new VerifiedTokenCache(2);
    const exp = Date.now() + 60_000;
    cache.set('one', alice, exp);
    cache.set('two', bob, exp);
    cache.get('one');
    cache.set('three', bob, exp);
    expect(cache.size).toBe(2);
    expect(cache.get('two')).toBeUndefined();
    expect(cache.get('one')).toBe(alice);
  });
});
