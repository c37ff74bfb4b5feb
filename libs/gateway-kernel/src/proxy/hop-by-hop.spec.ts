import { hopByHopFilter } from './hop-by-hop';

describe('hopByHopFilter', () => {
  it('drops the standard hop-by-hop headers', () => {
    const isHop = hopByHopFilter(undefined);
    for (const name of ['connection', 'keep-alive', 'transfer-encoding', 'te', 'upgrade', 'proxy-authorization']) {
      expect(isHop(name)).toBe(true);
    }
    expect(isHop('content-type')).toBe(false);
  });

  it('also drops the headers the Connection header names', () => {
    const isHop = hopByHopFilter('keep-alive, X-Custom-Hop ,x-other');
    expect(isHop('x-custom-hop')).toBe(true);
    expect(isHop('x-other')).toBe(true);
    expect(isHop('x-kept')).toBe(false);
  });
});
