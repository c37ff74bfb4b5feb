import type { ServerResponse } from 'node:http';
import { TestUpstream, testUpstreamConfig } from '../../testing';
import { UpstreamClient } from '../../upstream';
import { ordersFeedSource } from './orders-feed.source';

const until = async (check: () => boolean, what: string) => {
  const end = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('ordersFeedSource', () => {
  let upstream: TestUpstream;
  let client: UpstreamClient;
  let feeds: ServerResponse[];

  beforeEach(async () => {
    feeds = [];
    upstream = await TestUpstream.start((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(': open\n\n');
      feeds.push(response);
    });
    client = new UpstreamClient('orders', testUpstreamConfig([upstream.url], { breaker: { enabled: false } }));
  });
  afterEach(async () => {
    await client.close();
    await upstream.close();
  });

  it("publishes each change on its user's channel, cut to what a client may see, skipping anything malformed", async () => {
    const published: [string, string, string, string | undefined][] = [];
    const feed = ordersFeedSource(client, 20).open('orders', (channel, topic, data, cursor) => published.push([channel, topic, data, cursor]));
    await until(() => feeds.length === 1, 'the subscription');
    expect(upstream.seen[0]).toMatchObject({ method: 'GET', url: '/orders/changes' });
    feeds[0].write('id: 1\ndata: {"orderId":"o1","userId":"u1","status":"paid","at":"2026-01-01T00:00:00Z","total":12}\n\n');
    feeds[0].write('id: 2\ndata: not json\n\n');
    feeds[0].write('id: 3\ndata: {"orderId":"o2","userId":"../u2","status":"paid"}\n\n');
    feeds[0].write('id: 4\ndata: {"orderId":"o3","userId":"u2","status":"shipped","at":"2026-01-01T00:00:01Z"}\n\n');
    await until(() => published.length === 2, 'two changes');
    expect(published).toEqual([
      ['orders:u1', 'orders', '{"orderId":"o1","status":"paid","at":"2026-01-01T00:00:00.000Z"}', '1'],
      ['orders:u2', 'orders', '{"orderId":"o3","status":"shipped","at":"2026-01-01T00:00:01.000Z"}', '4'],
    ]);
    feed.close();
  });

  it('subscribes again after the feed drops, from the last id it saw', async () => {
    const published: string[] = [];
    const feed = ordersFeedSource(client, 20).open('orders', (_c, _t, data) => published.push(data), '7');
    await until(() => feeds.length === 1, 'the subscription');
    expect(upstream.seen[0].headers['last-event-id']).toBe('7');
    feeds[0].end('id: 8\ndata: {"orderId":"o1","userId":"u1","status":"paid"}\n\n');
    await until(() => feeds.length === 2, 'the second subscription');
    expect(upstream.seen[1].headers['last-event-id']).toBe('8');
    expect(published).toHaveLength(1);
    feed.close();
    await until(() => upstream.seen[1].abandoned, 'the subscription ended');
  });
});
