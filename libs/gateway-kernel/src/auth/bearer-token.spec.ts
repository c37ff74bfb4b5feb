import { bearerToken, hasBearerScheme } from './bearer-token';

const request = (authorization?: string) => ({ headers: { authorization } });

describe('bearerToken', () => {
  it('reads the token of a Bearer header, scheme case-insensitive', () => {
    expect(bearerToken(request('Bearer abc.def.ghi'))).toBe('abc.def.ghi');
    expect(bearerToken(request('bearer abc.def.ghi '))).toBe('abc.def.ghi');
  });

  it('has no token for other schemes, empty or oversized values', () => {
    expect(bearerToken(request())).toBeUndefined();
    expect(bearerToken(request('Basic dXNlcjpwYXNz'))).toBeUndefined();
    expect(bearerToken(request('Bearer    '))).toBeUndefined();
    expect(bearerToken(request(`Bearer ${'a'.repeat(9000)}`))).toBeUndefined();
  });

  it('tells a Bearer credential (even a bad one) from none at all', () => {
    expect(hasBearerScheme(request(`Bearer ${'a'.repeat(9000)}`))).toBe(true);
    expect(hasBearerScheme(request('Basic x'))).toBe(false);
    expect(hasBearerScheme(request())).toBe(false);
  });
});
