import { Readable, Transform } from 'node:stream';
import { register } from 'prom-client';
import { ErrorCode, GatewayError } from '../errors';
import { outcomeOfError } from '../pipeline/call-outcome';
import { CallCancelledError } from '../pipeline/call-cancelled.error';
import { LocalCallError } from '../pipeline/local-call.error';
import { freePort } from '../testing/free-port';
import { json, TestUpstream, testUpstreamConfig } from '../testing/test-upstream';
import { UpstreamClient } from '../upstream/upstream-client';

describe('a failure that never reached the upstream never counts against its breaker', () => {
  let upstream: TestUpstream;
  const clients: UpstreamClient[] = [];
  const client = (urls: string[], overrides: Record<string, unknown> = {}) => {
    const made = new UpstreamClient('svc', testUpstreamConfig(urls, { coalesce: false, ...overrides }));
    clients.push(made);
    return made;
  };
  const retriesSent = async () =>
    (await register.getSingleMetric('gateway_upstream_retries_total')?.get())?.values.find(
      (v) => v.labels.upstream === 'svc' && v.labels.outcome === 'sent',
    )?.value ?? 0;
  const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as GatewayError);

  beforeAll(async () => {
    upstream = await TestUpstream.start(json({ ok: true }));
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    upstream.handle(json({ ok: true }));
    upstream.reset();
  });
  afterAll(() => upstream.close());

  it('a request with an invalid header value is a local failure: not sent, not retried, the breaker stays closed', async () => {
    const svc = client([upstream.url], { breaker: { consecutiveFailures: 1 }, retry: { maxAttempts: 2 } });
    const retriesBefore = await retriesSent();
    for (let i = 0; i < 5; i++) {
      const error = await failure(svc.callJson({ url: '/x', headers: { 'x-tag': 'a\r\nx-injected: 1' } }));
      expect(error).toBeInstanceOf(LocalCallError);
      expect(error?.status).toBe(500);
    }
    expect(upstream.count()).toBe(0);
    expect(await retriesSent()).toBe(retriesBefore);
    expect(svc.instances[0].breaker?.current).toBe('closed');
    await expect(svc.callJson({ url: '/x' })).resolves.toEqual({ ok: true });
  });

  it('a refused connection does count, and opens the breaker', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const svc = client([closed], { breaker: { consecutiveFailures: 2 }, retry: { maxAttempts: 0 } });
    for (let i = 0; i < 2; i++) expect((await failure(svc.callJson({ url: '/x' })))?.status).toBe(502);
    expect(svc.instances[0].breaker?.current).toBe('open');
  });

  it("a request body that fails on this side (the proxy's 413) keeps its status and is not the instance's failure", async () => {
    upstream.handle((request, response) => {
      request.resume();
      request.on('end', () => response.end('{}'));
    });
    const svc = client([upstream.url], { breaker: { consecutiveFailures: 1 } });
    for (let i = 0; i < 3; i++) {
      const tooLarge = new Transform({
        transform: (_chunk, _encoding, callback) => callback(new GatewayError(ErrorCode.PayloadTooLarge, 'body exceeds 10 bytes')),
      });
      const error = await failure(svc.send({ method: 'POST', path: '/upload', headers: {}, body: Readable.from([Buffer.alloc(64)]).pipe(tooLarge) }));
      expect(error).toBeInstanceOf(LocalCallError);
      expect(error).toMatchObject({ status: 413, detail: 'body exceeds 10 bytes' });
    }
    expect(svc.instances[0].breaker?.current).toBe('closed');
  });

  it('an upstream that resets the connection during the upload does count', async () => {
    upstream.handle((request) => request.once('data', () => request.socket.destroy()));
    const svc = client([upstream.url], { breaker: { consecutiveFailures: 1 } });
    let sent = 0;
    const slow = new Readable({
      read() {
        if (sent++ < 200) setTimeout(() => this.push(Buffer.alloc(16_384)), 2);
        else this.push(null);
      },
    });
    const error = await failure(svc.send({ method: 'POST', path: '/upload', headers: {}, body: slow }));
    expect(error).not.toBeInstanceOf(LocalCallError);
    expect(error?.status).toBe(502);
    expect(svc.instances[0].breaker?.current).toBe('open');
  });

  it('each attempt of a retried call counts once on its instance, no more', async () => {
    upstream.handle(json({}, { status: 503 }));
    const three = client([upstream.url], { breaker: { consecutiveFailures: 3 }, retry: { maxAttempts: 2, minRetriesPerSecond: 10 } });
    await failure(three.callJson({ url: '/x' }));
    expect(upstream.count()).toBe(3);
    expect(three.instances[0].breaker?.current).toBe('open');

    upstream.reset();
    const four = client([upstream.url], { breaker: { consecutiveFailures: 4 }, retry: { maxAttempts: 2, minRetriesPerSecond: 10 } });
    await failure(four.callJson({ url: '/x' }));
    expect(upstream.count()).toBe(3);
    expect(four.instances[0].breaker?.current).toBe('closed');
    // A success in between starts the count again: three more failed attempts leave it closed.
    upstream.handle(json({ ok: true }));
    await expect(four.callJson({ url: '/x' })).resolves.toEqual({ ok: true });
    upstream.handle(json({}, { status: 503 }));
    await failure(four.callJson({ url: '/x' }));
    expect(four.instances[0].breaker?.current).toBe('closed');
  });

  it('with the default breaker and retries, two failing requests leave it closed; a failure rate over half of 20+ attempts opens it', async () => {
    upstream.handle(json({}, { status: 503 }));
    const svc = client([upstream.url], { retry: { minRetriesPerSecond: 100 } });
    await failure(svc.callJson({ url: '/x' }));
    await failure(svc.callJson({ url: '/x' }));
    expect(upstream.count()).toBe(6);
    expect(svc.instances[0].breaker?.current).toBe('closed');
    // More failing requests: past minimumCalls (20 attempts) with every one failed, it opens.
    for (let i = 0; i < 5; i++) await failure(svc.callJson({ url: '/x' }));
    expect(svc.instances[0].breaker?.current).toBe('open');
    const sent = upstream.count();
    expect((await failure(svc.callJson({ url: '/x' })))?.status).toBe(503);
    expect(upstream.count()).toBe(sent);
  });

  it('counts outcomes: local and cancelled are ignored, 5xx GatewayErrors fail', () => {
    expect(outcomeOfError(new LocalCallError(new Error('invalid header'), 'svc'))).toBe('ignored');
    expect(outcomeOfError(new CallCancelledError(new GatewayError(ErrorCode.BadRequest)))).toBe('ignored');
    expect(outcomeOfError(new GatewayError(ErrorCode.CircuitOpen))).toBe('ignored');
    expect(outcomeOfError(new GatewayError(ErrorCode.BadGateway))).toBe('failure');
    expect(outcomeOfError(new GatewayError(ErrorCode.GatewayTimeout))).toBe('failure');
  });
});
