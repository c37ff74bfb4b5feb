import type { ServerWritableStream } from '@grpc/grpc-js';
import { TestGrpcUpstream, testGrpcUpstreamConfig } from '../../testing';
import { UpstreamClient } from '../../upstream';
import { stockWatchSource } from './stock-watch.source';

const until = async (check: () => boolean, what: string) => {
  const end = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('stockWatchSource', () => {
  let upstream: TestGrpcUpstream;
  let client: UpstreamClient;
  let calls: ServerWritableStream<{ skus: string[] }, unknown>[];

  beforeEach(async () => {
    upstream = await TestGrpcUpstream.start();
    client = new UpstreamClient('inventory', testGrpcUpstreamConfig([upstream.url]));
    calls = [];
    upstream.stream((call) => {
      calls.push(call as ServerWritableStream<{ skus: string[] }, unknown>);
      call.write({ sku: call.request.skus[0], stock: 3, available: true, revision: 4, updatedAt: '2026-01-01T00:00:00Z' });
    });
  });
  afterEach(async () => {
    await client.close();
    await upstream.close();
  });

  it('watches one product, publishing each new revision once, reopened streams included', async () => {
    const published: [string, string, string, string?][] = [];
    const feed = stockWatchSource(client, 20).open('stock:p1', (...event) => published.push(event));
    await until(() => published.length === 1, 'the current stock');
    expect(calls[0].request).toEqual({ skus: ['p1'] });
    expect(published[0]).toEqual(['stock:p1', 'stock:p1', JSON.stringify({ productId: 'p1', stock: 3, available: true, revision: 4, at: '2026-01-01T00:00:00.000Z' }), '4']);

    calls[0].write({ sku: 'p1', stock: 0, available: false, revision: 5 });
    calls[0].write({ sku: 'p2', stock: 9, revision: 6 });
    await until(() => published.length === 2, 'the change');
    expect(JSON.parse(published[1][2])).toEqual({ productId: 'p1', stock: 0, available: false, revision: 5 });

    // The stream ends; the source opens it again and the repeated current stock (revision 4) is not published.
    calls[0].end();
    await until(() => calls.length === 2, 'the reopened stream');
    calls[1].write({ sku: 'p1', stock: 7, available: true, revision: 6 });
    await until(() => published.length === 3, 'the next change');
    expect(JSON.parse(published[2][2])).toMatchObject({ stock: 7, revision: 6 });
    feed.close();
    await until(() => upstream.seen.at(-1)?.cancelled === true, 'the upstream call cancelled');
  });

  it('starts after the cursor another replica left', async () => {
    const published: string[] = [];
    const feed = stockWatchSource(client, 20).open('stock:p1', (_c, _t, data) => published.push(data), '4');
    await until(() => calls.length === 1, 'the stream');
    calls[0].write({ sku: 'p1', stock: 2, revision: 5 });
    await until(() => published.length === 1, 'the change');
    expect(JSON.parse(published[0])).toMatchObject({ stock: 2, revision: 5 });
    feed.close();
  });
});
