import { GatewayError } from '../errors';
import { safeUpstreamPath } from './safe-path';

describe('safeUpstreamPath', () => {
  it('keeps the rest of the path and the query under the upstream prefix', () => {
    expect(safeUpstreamPath('/api/catalog/products?limit=2', '/api/catalog', '')).toBe('/products?limit=2');
    expect(safeUpstreamPath('/api/catalog', '/api/catalog', '/v2')).toBe('/v2/');
    expect(safeUpstreamPath('/api/catalog/a/b%20c', '/api/catalog', '/v2')).toBe('/v2/a/b%20c');
  });

  it.each([
    '/api/catalog/../admin',
    '/api/catalog/./x',
    '/api/catalog/%2e%2e/admin',
    '/api/catalog/%2E%2e/admin',
    '/api/catalog/.%2E/admin',
    '/api/catalog/a%2fb',
    '/api/catalog/a%2F..%2Fb',
    '/api/catalog/%252e%252e/admin',
    '/api/catalog/a\\..\\b',
    '/api/catalog/a%5c..',
    '/api/catalog/a%00b',
    '/api/catalogue/x',
    '/api/catalog/x?q=\u0000',
    // Forms Java, nginx and other backends resolve to a parent directory or an empty segment.
    '/api/catalog//admin',
    '/api/catalog/products//p1',
    '/api/catalog/..;/admin',
    '/api/catalog/products;jsessionid=1',
    '/api/catalog/%c0%ae%c0%ae/admin',
    '/api/catalog/%e0%80%ae%e0%80%ae/admin',
    '/api/catalog/%ef%bc%8e%ef%bc%8e/admin',
    '/api/catalog/\uff0e\uff0e/admin',
    '/api/catalog/a%zz',
  ])('refuses %s', (url) => {
    expect(() => safeUpstreamPath(url, '/api/catalog', '')).toThrow(GatewayError);
  });
});
