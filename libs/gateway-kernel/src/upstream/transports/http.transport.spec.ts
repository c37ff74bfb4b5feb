import { RequestContextStore } from '../../context';
import { GatewayError } from '../../errors';
import { BufferedBody } from '../../pipeline/buffered-body';
import { json, TestUpstream, testUpstreamConfig, type UpstreamHandler } from '../../testing/test-upstream';
import { UpstreamClient } from '../upstream-client';
import { HttpAnswerStream } from './http-answer.handler';

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
  describe('a stream that buffers small answers (bufferUpToBytes)', () => {
    const send = () => client.send({ method: 'GET', path: '/x', headers: {}, bufferUpToBytes: 16 });

    it('reads an answer declaring no more than that whole, as a BufferedBody', async () => {
      upstream.handle(json({ ok: 1 }, { headers: { 'content-length': '8' } }));
      const response = await send();
      expect(response.body).toBeInstanceOf(BufferedBody);
      expect((response.body as BufferedBody).buffer.toString()).toBe('{"ok":1}');
    });

    it('streams a longer answer from its headers, the body still coming', async () => {
      upstream.handle((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '40' });
        response.write('{"long":"');
        setTimeout(() => response.end(`${'x'.repeat(29)}"}`), 50);
      });
      const response = await send();
      expect(response.body).toBeInstanceOf(HttpAnswerStream);
      expect(response.headers['content-length']).toBe('40');
      expect(await response.body.json()).toEqual({ long: 'x'.repeat(29) });
    });

    it('streams an answer that declares no length (chunked)', async () => {
      upstream.handle(slowBody(20));
      const response = await send();
      expect(response.body).toBeInstanceOf(HttpAnswerStream);
      expect(await response.body.text()).toBe('{"half":"done"}');
    });

    it('lets the upstream go when the consumer destroys the stream before its end', async () => {
      upstream.handle(slowBody());
      const response = await send();
      response.body.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(upstream.seen[0].abandoned).toBe(true);
    });

    it('pauses the upstream while the consumer does not read, and delivers every byte once it does', async () => {
      // More than loopback's socket buffers hold (a few MB), so the upstream must wait for the reader.
      const chunk = 'y'.repeat(256 * 1024);
      const chunks = 64;
      let written = 0;
      upstream.handle((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/plain' });
        const more = () => {
          while (written < chunks) {
            written++;
            if (!response.write(chunk)) return void response.once('drain', more);
          }
          response.end();
        };
        more();
      });
      await client.close();
      client = new UpstreamClient('svc', testUpstreamConfig([upstream.url], { retry: { maxAttempts: 0 }, maxResponseBytes: 32 * 1024 * 1024 }));
      const response = await send();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const writtenUnread = written;
      let bytes = 0;
      for await (const part of response.body) bytes += (part as Buffer).length;
      expect(writtenUnread).toBeLessThan(chunks);
      expect(bytes).toBe(chunk.length * chunks);
    });
  });
});
