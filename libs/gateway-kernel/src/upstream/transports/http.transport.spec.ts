import { RequestContextStore } from '../../context';
import { GatewayError } from '../../errors';
import { BufferedBody } from '../../pipeline/buffered-body';
import { json, TestUpstream, testUpstreamConfig, type UpstreamHandler } from '../../testing/test-upstream';
import { UpstreamClient } from '../upstream-client';

/** Sends the headers and the first half of the body at once, the rest after `restAfterMs` (never when absent). */
const slowBody =
  (restAfterMs?: number): UpstreamHandler =>
  (_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
    response.write('{"half":');
    if (restAfterMs !== undefined) setTimeout(() => response.end('"done"}'), restAfterMs);
  };

describe('http transport', () => {
  let upstream: TestUpstream;
  let client: UpstreamClient;
  const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as GatewayError);

  beforeEach(async () => {
    upstream = await TestUpstream.start(json({ ok: true }));
    client = new UpstreamClient(
      'svc',
      testUpstreamConfig([upstream.url], { coalesce: false, cache: { enabled: false }, retry: { maxAttempts: 0 }, maxResponseBytes: 2_048 }),
    );
  });
  afterEach(async () => {
    await client.close();
    await upstream.close();
  });

  it('answers a buffered call once its body is in, as a BufferedBody with the parsed headers', async () => {
    upstream.handle(slowBody(50));
    const response = await client.send({ method: 'GET', path: '/x', headers: {}, buffered: true });
    expect(response.body).toBeInstanceOf(BufferedBody);
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(await response.body.json()).toEqual({ half: 'done' });
  });

  it('answers a stream at its headers, the body still coming', async () => {
    upstream.handle(slowBody(50));
    const response = await client.send({ method: 'GET', path: '/x', headers: {} });
    expect(response.body).not.toBeInstanceOf(BufferedBody);
    expect(await response.body.text()).toBe('{"half":"done"}');
  });

  it("bounds a buffered call's body by the deadline: 504, and the upstream let go", async () => {
    // The body never ends: only the deadline can settle this call.
    upstream.handle(slowBody());
    const error = await RequestContextStore.run({ requestId: 'r', deadline: Date.now() + 200 }, () => failure(client.callJson({ url: '/x' })));
    expect(error?.status).toBe(504);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(upstream.seen[0].abandoned).toBe(true);
  });

  it('refuses a buffered answer larger than maxResponseBytes with 502', async () => {
    upstream.handle(json({ big: 'x'.repeat(4_096) }));
    const error = await failure(client.callJson({ url: '/big' }));
    expect(error).toMatchObject({ status: 502, detail: 'upstream svc sent a response larger than allowed' });
  });
});
