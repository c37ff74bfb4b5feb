import { GatewayError } from '../errors';
import { compilePathAllowlist, upstreamPathMapper } from './upstream-path';

describe('compilePathAllowlist', () => {
  const allows = compilePathAllowlist(['/products', '/products/:id', '/files/*']);
  it.each(['/products', '/products/', '/products/p1', '/files', '/files/a/b/c'])('forwards %s', (path) => expect(allows(path)).toBe(true));
  it.each(['/', '/product', '/products/p1/extra', '/productsx', '/orders/o1'])('does not forward %s', (path) => expect(allows(path)).toBe(false));
  it('rejects a pattern it cannot honour, at start', () => {
    expect(() => compilePathAllowlist([])).toThrow(/at least one/);
    expect(() => compilePathAllowlist(['products'])).toThrow(/must start with/);
    expect(() => compilePathAllowlist(['/a/*/b'])).toThrow(/last segment/);
  });
});

describe('upstreamPathMapper', () => {
  const status = (fn: () => unknown) => {
    try {
      fn();
      return 200;
    } catch (error) {
      return (error as GatewayError).status;
    }
  };

  it('maps a declared path under the upstream prefix, query kept', () => {
    const toUpstream = upstreamPathMapper({ prefix: '/api/catalog', upstreamPrefix: '/v2', paths: ['/products/:id'] });
    expect(toUpstream('/api/catalog/products/p1?x=1')).toBe('/v2/products/p1?x=1');
  });

  it('answers 404 for what the route does not declare, and never forwards an upstream internal', () => {
    const narrow = upstreamPathMapper({ prefix: '/api/catalog', paths: ['/products/:id'] });
    expect(status(() => narrow('/api/catalog/__sim/stats'))).toBe(404);
    expect(status(() => narrow('/api/catalog/health'))).toBe(404);
    const wide = upstreamPathMapper({ prefix: '/api/catalog', paths: ['/*'] });
    for (const url of ['/api/catalog/__sim/stats', '/api/catalog/__sim/faults', '/api/catalog/health', '/api/catalog/health/ready', '/api/catalog/metrics', '/api/catalog/x/__admin']) {
      expect([url, status(() => wide(url))]).toEqual([url, 404]);
    }
    expect(status(() => wide('/api/catalog/healthy'))).toBe(200);
    expect(status(() => wide('/api/catalog//health'))).toBe(400);
  });
});
