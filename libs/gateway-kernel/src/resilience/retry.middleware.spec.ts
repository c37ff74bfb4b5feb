import { Readable } from 'node:stream';
import { RetryConfig } from '../config';
import { RequestContextStore } from '../context';
import { GatewayError } from '../errors';
import { hang, json, reset, sequence, TestUpstream, testUpstreamConfig } from '../testing/test-upstream';
import { UpstreamClient } from '../upstream/upstream-client';
import { retryMiddleware } from './retry.middleware';

describe('retry stage', () => {
  let upstream: TestUpstream;
  const clients: UpstreamClient[] = [];
  const client = (overrides: Record<string, unknown> = {}) => {
    const made = new UpstreamClient('svc', testUpstreamConfig([upstream.url], { coalesce: false, ...overrides }));
    clients.push(made);
    return made;
  };
  const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as GatewayError);

  beforeAll(async () => {
    upstream = await TestUpstream.start();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    upstream.reset();
  });
  afterAll(() => upstream.close());

  it.each([502, 503, 504])('retries a GET answered %i and returns the next answer', async (status) => {
    upstream.handle(sequence(json({}, { status }), json({ ok: true })));
    const { data } = await client().http.get('/items');
    expect(data).toEqual({ ok: true });
    expect(upstream.count()).toBe(2);
  });

  it('an attempt whose budget is spent before it starts is a 504, never sent with a timeout of 0 or less', async () => {
    const sent: (number | undefined)[] = [];
    const call = retryMiddleware('svc', Object.assign(new RetryConfig(), { maxAttempts: 2 }))((request) => {
      sent.push(request.timeoutMs);
      return Promise.reject(new Error('not reached'));
    });
    // The clock moves 5 ms between taking the deadline and starting the attempt; the budget was 3 ms.
    const now = jest.spyOn(Date, 'now').mockReturnValueOnce(1_000).mockReturnValue(1_005);
    try {
      const error = await failure(call({ method: 'GET', path: '/x', headers: {}, idempotent: true, timeoutMs: 3 } as never));
      expect([error?.status, error?.detail]).toEqual([504, 'upstream svc did not answer in time']);
      expect(sent).toEqual([]);
    } finally {
      now.mockRestore();
    }
  });

  it('does not retry a 500 or a 404: those are answers', async () => {
    upstream.handle(json({}, { status: 500 }));
    expect((await failure(client().http.get('/a')))?.status).toBe(502);
    upstream.handle(json({}, { status: 404 }));
    expect((await failure(client().http.get('/b')))?.status).toBe(404);
    expect(upstream.count()).toBe(2);
  });

  it('retries a reset connection', async () => {
    upstream.handle(sequence(reset, json({ ok: true })));
    await expect(client().http.get('/items')).resolves.toMatchObject({ data: { ok: true } });
    expect(upstream.count()).toBe(2);
  });

  it('does not retry a POST without an Idempotency-Key', async () => {
    upstream.handle(sequence(json({}, { status: 503 }), json({ ok: true })));
    expect((await failure(client().http.post('/orders', { a: 1 })))?.status).toBe(503);
    expect(upstream.count()).toBe(1);
  });

  it('retries a POST that carries an Idempotency-Key', async () => {
    upstream.handle(sequence(json({}, { status: 503 }), json({ ok: true })));
    const { data } = await client().http.post('/orders', { a: 1 }, { headers: { 'Idempotency-Key': 'k-1' } });
    expect(data).toEqual({ ok: true });
    expect(upstream.count()).toBe(2);
  });

  it('does not retry a streamed body: it was consumed by the first attempt', async () => {
    upstream.handle(sequence(json({}, { status: 503 }), json({ ok: true })));
    const response = await client().send({ method: 'PUT', path: '/blob', headers: {}, body: Readable.from(['x']), idempotent: true });
    await response.body.dump();
    expect(response.statusCode).toBe(503);
    expect(upstream.count()).toBe(1);
  });

  it('gives a hung attempt up at the per-try timeout and retries inside the deadline', async () => {
    upstream.handle(sequence(hang, json({ ok: true })));
    const started = Date.now();
    const { data } = await client({ timeoutMs: 2_000, retry: { perTryTimeoutMs: 150 } }).http.get('/items');
    expect(data).toEqual({ ok: true });
    expect(upstream.count()).toBe(2);
    expect(upstream.seen[0].abandoned).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('never retries past the deadline', async () => {
    upstream.handle(hang);
    const started = Date.now();
    const error = await failure(client({ timeoutMs: 300 }).http.get('/items'));
    expect(error?.status).toBe(504);
    expect(upstream.count()).toBe(1);
    expect(Date.now() - started).toBeLessThan(300 + 300);
  });

  it('stops at the deadline when per-try timeouts keep firing', async () => {
    upstream.handle(hang);
    const started = Date.now();
    const error = await failure(client({ timeoutMs: 400, retry: { maxAttempts: 5, perTryTimeoutMs: 150 } }).http.get('/items'));
    expect(error?.status).toBe(504);
    expect(upstream.count()).toBeLessThanOrEqual(3);
    expect(Date.now() - started).toBeLessThan(400 + 300);
  });

  it('tells each attempt how much time is left', async () => {
    upstream.handle(sequence(json({}, { status: 503, delayMs: 50 }), json({ ok: true })));
    await client({ timeoutMs: 1_000 }).http.get('/items');
    const [first, second] = upstream.seen.map((r) => Number(r.headers['x-request-timeout-ms']));
    expect(first).toBeGreaterThan(900);
    expect(first).toBeLessThanOrEqual(1_000);
    expect(second).toBeLessThan(first - 40);
  });

  it('stops retrying a failing upstream at the retry budget', async () => {
    upstream.handle(json({}, { status: 503 }));
    const svc = client({
      breaker: { enabled: false },
      retry: { maxAttempts: 3, budgetRatio: 0.2, minRetriesPerSecond: 0, baseDelayMs: 1, maxDelayMs: 2 },
    });
    for (let i = 0; i < 30; i++) await failure(svc.http.get(`/items/${i}`));
    // 30 requests may bring at most 20% more; without the budget it would be up to 4x.
    expect(upstream.count()).toBeGreaterThan(30);
    expect(upstream.count()).toBeLessThanOrEqual(36);
  });

  it('does not retry a call whose client went away', async () => {
    upstream.handle(sequence(json({}, { status: 503, delayMs: 100 }), json({ ok: true })));
    const controller = new AbortController();
    const svc = client();
    const call = RequestContextStore.run({ requestId: 'r1', signal: controller.signal }, () => failure(svc.http.get('/items')));
    setTimeout(() => controller.abort(new GatewayError('bad-request', 'client closed the request')), 30);
    expect((await call)?.status).toBe(400);
    await new Promise((r) => setTimeout(r, 150));
    expect(upstream.count()).toBe(1);
  });
});
