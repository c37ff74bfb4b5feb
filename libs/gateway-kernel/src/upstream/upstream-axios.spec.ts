import { json, TestUpstream, testUpstreamConfig } from '../testing/test-upstream';
import { UpstreamClient } from './upstream-client';
import { createUpstreamAxios } from './upstream-axios';

// The real factory, counted: the client must not reach it until `http` is read.
jest.mock('./upstream-axios', () => {
  const actual = jest.requireActual<typeof import('./upstream-axios')>('./upstream-axios');
  return { createUpstreamAxios: jest.fn(actual.createUpstreamAxios) };
});
const made = jest.mocked(createUpstreamAxios);

describe('UpstreamClient.http (axios over the pipeline)', () => {
  let upstream: TestUpstream;
  beforeAll(async () => {
    upstream = await TestUpstream.start(json({ id: 'p1' }));
  });
  afterAll(() => upstream.close());

  it('is made on first use, once, and never for a client whose calls do not use it', async () => {
    const client = new UpstreamClient('svc', testUpstreamConfig([upstream.url]));
    try {
      await expect(client.callJson({ url: '/products/p1' })).resolves.toEqual({ id: 'p1' });
      expect(made).not.toHaveBeenCalled();
      const { data } = await client.http.get('/products/p1');
      expect(data).toEqual({ id: 'p1' });
      expect(client.http).toBe(client.http);
      expect(made).toHaveBeenCalledTimes(1);
    } finally {
      await client.close();
    }
  });
});
