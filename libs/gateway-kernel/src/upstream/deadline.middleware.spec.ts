import Fastify from 'fastify';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registerRequestContext } from '../bootstrap/request-context.hook';
import { RequestContextStore, type RequestContext } from '../context';
import { GatewayError } from '../errors';
import { hang, json, TestUpstream, testUpstreamConfig } from '../testing/test-upstream';
import { UpstreamClient } from './upstream-client';

describe('deadline stage and cancellation', () => {
  let upstream: TestUpstream;
  let client: UpstreamClient;
  const inContext = <T>(context: Partial<RequestContext>, fn: () => Promise<T>) =>
    RequestContextStore.run({ requestId: 'req-1', ...context }, fn);
  const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as GatewayError);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeEach(async () => {
    upstream = await TestUpstream.start(json({ ok: true }));
    client = new UpstreamClient(
      'svc',
      testUpstreamConfig([upstream.url], { timeoutMs: 2_000, retry: { maxAttempts: 0 }, breaker: { consecutiveFailures: 1 } }),
    );
  });
  afterEach(async () => {
    await client.close();
    await upstream.close();
  });

  it("sends what is left of the route's deadline to the upstream", async () => {
    await inContext({ deadline: Date.now() + 500 }, () => client.http.get('/x'));
    const sent = Number(upstream.seen[0].headers['x-request-timeout-ms']);
    expect(sent).toBeGreaterThan(400);
    expect(sent).toBeLessThanOrEqual(500);
  });

  it("caps the budget at the upstream's own timeout", async () => {
    await inContext({ deadline: Date.now() + 60_000 }, () => client.http.get('/x'));
    expect(Number(upstream.seen[0].headers['x-request-timeout-ms'])).toBe(2_000);
  });

  it('answers 504 at the deadline and lets go of the upstream call', async () => {
    upstream.handle(hang);
    const started = Date.now();
    const error = await inContext({ deadline: Date.now() + 200 }, () => failure(client.http.get('/x')));
    expect(error?.status).toBe(504);
    expect(Date.now() - started).toBeLessThan(200 + 300);
    await sleep(50);
    expect(upstream.seen[0].abandoned).toBe(true);
  });

  it('does not call the upstream when no time is left', async () => {
    const error = await inContext({ deadline: Date.now() - 1 }, () => failure(client.http.get('/x')));
    expect(error?.status).toBe(504);
    expect(upstream.count()).toBe(0);
  });

  it("aborts the upstream call when the client goes away, without counting it against the instance's breaker", async () => {
    upstream.handle(hang);
    const controller = new AbortController();
    const call = inContext({ deadline: Date.now() + 5_000, signal: controller.signal }, () => failure(client.http.get('/x')));
    await sleep(50);
    controller.abort(new GatewayError('bad-request', 'client closed the request'));
    const error = await call;
    expect(error?.message).toBe('client closed the request');
    await sleep(50);
    expect(upstream.seen[0].abandoned).toBe(true);
    expect(client.instances[0].breaker?.current).toBe('closed');
  });

  it('a client disconnecting from the gateway aborts its in-flight upstream call (request-context hook end to end)', async () => {
    upstream.handle(hang);
    const app = Fastify();
    registerRequestContext(app, 10_000);
    app.get('/page', async () => (await client.http.get('/slow')).data);
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (app.server.address() as AddressInfo).port;
      const req = httpRequest({ host: '127.0.0.1', port, path: '/page' });
      req.on('error', () => undefined);
      req.end();
      await sleep(150);
      expect(upstream.count()).toBe(1);
      expect(upstream.seen[0].abandoned).toBe(false);
      req.destroy();
      await sleep(150);
      expect(upstream.seen[0].abandoned).toBe(true);
    } finally {
      await app.close();
    }
  });
});
