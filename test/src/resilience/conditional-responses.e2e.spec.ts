import { request, startBff, startSims, type RunningBff, type RunningSims } from '../support';

describe('mobile-bff ETag/304 and compression', () => {
  let sims: RunningSims;
  let mobile: RunningBff;

  beforeAll(async () => {
    sims = await startSims(['identity', 'catalog']);
    mobile = await startBff('mobile-bff', sims.urls);
  });
  afterAll(async () => {
    await mobile?.stop();
    await sims?.stop();
  });

  it('answers with an ETag and honours If-None-Match with an empty 304', async () => {
    const first = await request(`${mobile.url}/api/products?limit=20`);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/".+"$/);

    const revalidated = await request(`${mobile.url}/api/products?limit=20`, { headers: { 'if-none-match': etag! } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.text).toBe('');
    expect(revalidated.headers.get('etag')).toBe(etag);

    const changed = await request(`${mobile.url}/api/products?limit=21`, { headers: { 'if-none-match': etag! } });
    expect(changed.status).toBe(200);
  });

  it.each(['br', 'gzip'])('compresses with %s for a client that accepts it', async (encoding) => {
    const res = await request(`${mobile.url}/api/products?limit=20`, { headers: { 'accept-encoding': encoding } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe(encoding);
    expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(res.body.items).toHaveLength(20);
  });

  it('sends plain JSON to a client that accepts no encoding', async () => {
    const res = await request(`${mobile.url}/api/products?limit=20`, { headers: { 'accept-encoding': 'identity' } });
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.body.items).toHaveLength(20);
  });
});
