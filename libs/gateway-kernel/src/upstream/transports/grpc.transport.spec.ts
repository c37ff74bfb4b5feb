import { Metadata, status } from '@grpc/grpc-js';
import { RequestContextStore } from '../../context';
import type { GatewayError } from '../../errors';
import { answer, failWith, hangCall, inTurn, TestGrpcUpstream, testGrpcUpstreamConfig } from '../../testing/test-grpc-upstream';
import { UpstreamClient } from '../upstream-client';

const P1 = { sku: 'p1', stock: 3, available: true, revision: 0, updatedAt: '2026-01-01T00:00:00.000Z' };
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const LEAKS = ['db-primary.internal', '10.0.3.17', 'boom'];

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as GatewayError);
const noResilience = { retry: { maxAttempts: 0 }, breaker: { enabled: false } };

describe('grpc transport', () => {
  let upstream: TestGrpcUpstream;
  let client: UpstreamClient;

  beforeEach(async () => {
    upstream = await TestGrpcUpstream.start();
    upstream.unary('GetAvailability', answer(P1));
  });
  afterEach(async () => {
    await client?.close();
    await upstream.close();
  });

  const connect = (overrides: Record<string, unknown> = noResilience, urls = [upstream.url]) =>
    (client = new UpstreamClient('inventory', testGrpcUpstreamConfig(urls, overrides)));

  it('calls a unary method with the decoded answer, zeros included', async () => {
    connect();
    upstream.unary('GetAvailability', answer({ sku: 'p10', stock: 0, available: false }));
    expect(await client.callRpc('GetAvailability', { sku: 'p10' })).toEqual({ sku: 'p10', stock: 0, available: false, revision: 0, updatedAt: '' });
  });

  it('sends request id, trace context and the verified caller as metadata, and the budget as the deadline', async () => {
    connect();
    const context = { requestId: 'req-7', traceparent: TRACEPARENT, principal: { kind: 'user' as const, id: 'u1', scopes: ['profile', 'orders:read'] }, deadline: Date.now() + 800 };
    await RequestContextStore.run(context, () => client.callRpc('GetAvailability', { sku: 'p1' }, { headers: { 'x-extra': 'yes' } }));
    const [seen] = upstream.seen;
    expect(seen.metadata).toMatchObject({ 'x-request-id': 'req-7', traceparent: TRACEPARENT, 'x-user-id': 'u1', 'x-user-scopes': 'profile orders:read', 'x-extra': 'yes' });
    expect(seen.metadata).not.toHaveProperty('accept');
    expect(seen.deadlineInMs).toBeGreaterThan(0);
    expect(seen.deadlineInMs).toBeLessThanOrEqual(800);
  });

  it('sends a partner caller as x-partner-id and x-partner-tier', async () => {
    connect();
    await RequestContextStore.run({ requestId: 'r', principal: { kind: 'partner', id: 'demo-gold', scopes: [], tier: 'gold' } }, () =>
      client.callRpc('GetAvailability', { sku: 'p1' }),
    );
    expect(upstream.seen[0].metadata).toMatchObject({ 'x-partner-id': 'demo-gold', 'x-partner-tier': 'gold' });
  });

  it('uses the upstream timeout as the deadline outside a request', async () => {
    connect({ ...noResilience, timeoutMs: 1_500 });
    await client.callRpc('GetAvailability', { sku: 'p1' });
    expect(upstream.seen[0].deadlineInMs).toBeGreaterThan(1_000);
    expect(upstream.seen[0].deadlineInMs).toBeLessThanOrEqual(1_500);
  });

  it.each([
    [status.UNAVAILABLE, 503, 'unavailable'],
    [status.DEADLINE_EXCEEDED, 504, 'gateway-timeout'],
    [status.NOT_FOUND, 404, 'not-found'],
    [status.INVALID_ARGUMENT, 400, 'bad-request'],
    [status.PERMISSION_DENIED, 403, 'forbidden'],
    [status.UNAUTHENTICATED, 401, 'unauthorized'],
    [status.INTERNAL, 502, 'bad-gateway'],
    [status.UNKNOWN, 502, 'bad-gateway'],
    [status.DATA_LOSS, 502, 'bad-gateway'],
    [status.RESOURCE_EXHAUSTED, 502, 'bad-gateway'],
    [status.FAILED_PRECONDITION, 502, 'bad-gateway'],
    [status.UNIMPLEMENTED, 502, 'bad-gateway'],
  ])('maps gRPC status %s to %s (%s), with no upstream detail', async (code, httpStatus, errorCode) => {
    connect();
    upstream.unary('GetAvailability', failWith(code));
    const error = await failure(client.callRpc('GetAvailability', { sku: 'p1' }));
    expect(error).toMatchObject({ status: httpStatus, code: errorCode });
    for (const leak of LEAKS) expect(`${error?.detail} ${error?.title}`).not.toContain(leak);
  });

  it('a message the contract cannot encode never leaves: a local failure, not the upstream', async () => {
    connect();
    const error = await failure(client.callRpc('BatchGetAvailability', { skus: 'p1' }));
    expect(error?.name).toBe('LocalCallError');
    expect(upstream.seen).toHaveLength(0);
  });

  it('a hung call ends at the deadline with 504, and the server sees it cancelled', async () => {
    connect();
    upstream.unary('GetAvailability', hangCall);
    const error = await RequestContextStore.run({ requestId: 'r', deadline: Date.now() + 150 }, () => failure(client.callRpc('GetAvailability', { sku: 'p1' })));
    expect(error?.status).toBe(504);
    await waitFor(() => upstream.seen[0]?.cancelled === true);
  });

  it('a caller going away cancels the call upstream', async () => {
    connect();
    upstream.unary('GetAvailability', hangCall);
    const controller = new AbortController();
    const pending = failure(client.callRpc('GetAvailability', { sku: 'p1' }, { signal: controller.signal }));
    await waitFor(() => upstream.seen.length === 1);
    controller.abort();
    await pending;
    await waitFor(() => upstream.seen[0].cancelled);
  });

  it('reuses one channel per instance: every call arrives on the same connection', async () => {
    connect();
    await Promise.all(Array.from({ length: 5 }, () => client.callRpc('GetAvailability', { sku: 'p1' })));
    await client.callRpc('GetAvailability', { sku: 'p1' });
    expect(new Set(upstream.seen.map((call) => call.peer)).size).toBe(1);
  });

  it('balances across instances, one channel each', async () => {
    const second = await TestGrpcUpstream.start();
    second.unary('GetAvailability', answer(P1));
    try {
      connect(noResilience, [upstream.url, second.url]);
      for (let i = 0; i < 4; i++) await client.callRpc('GetAvailability', { sku: 'p1' });
      expect(upstream.seen).toHaveLength(2);
      expect(second.seen).toHaveLength(2);
    } finally {
      await second.close();
    }
  });

  describe('resilience, as for HTTP', () => {
    const retrying = { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 }, breaker: { enabled: false } };

    it('retries UNAVAILABLE on an idempotent method', async () => {
      connect(retrying);
      upstream.unary('GetAvailability', inTurn(failWith(status.UNAVAILABLE), answer(P1)));
      expect(await client.callRpc('GetAvailability', { sku: 'p1' })).toMatchObject({ sku: 'p1' });
      expect(upstream.seen).toHaveLength(2);
    });

    it.each([status.INTERNAL, status.UNKNOWN, status.DEADLINE_EXCEEDED, status.NOT_FOUND, status.INVALID_ARGUMENT, status.RESOURCE_EXHAUSTED])(
      'never retries status %s',
      async (code) => {
        connect(retrying);
        upstream.unary('GetAvailability', inTurn(failWith(code), answer(P1)));
        await failure(client.callRpc('GetAvailability', { sku: 'p1' }));
        expect(upstream.seen).toHaveLength(1);
      },
    );

    it("opens the instance's breaker on UNAVAILABLE: 503 at once, the server no longer called", async () => {
      connect({ retry: { maxAttempts: 0 }, breaker: { consecutiveFailures: 3, halfOpenAfterMs: 60_000 } });
      upstream.unary('GetAvailability', failWith(status.UNAVAILABLE));
      for (let i = 0; i < 3; i++) expect(await failure(client.callRpc('GetAvailability', { sku: 'p1' }))).toMatchObject({ code: 'unavailable' });
      const error = await failure(client.callRpc('GetAvailability', { sku: 'p1' }));
      expect(error).toMatchObject({ status: 503, code: 'circuit-open' });
      expect(error?.headers['retry-after']).toBeDefined();
      expect(upstream.seen).toHaveLength(3);
      expect(client.instances[0].breaker?.current).toBe('open');
    });

    it('a NOT_FOUND is the instance doing its job: it never opens the breaker', async () => {
      connect({ retry: { maxAttempts: 0 }, breaker: { consecutiveFailures: 2, halfOpenAfterMs: 60_000 } });
      upstream.unary('GetAvailability', failWith(status.NOT_FOUND));
      for (let i = 0; i < 4; i++) await failure(client.callRpc('GetAvailability', { sku: 'p1' }));
      expect(client.instances[0].breaker?.current).toBe('closed');
    });

    it('a stopped instance is UNAVAILABLE (503) and retried on the next one', async () => {
      const second = await TestGrpcUpstream.start();
      second.unary('GetAvailability', answer(P1));
      const stopped = upstream.url;
      await upstream.close();
      try {
        connect(retrying, [stopped, second.url]);
        for (let i = 0; i < 4; i++) expect(await client.callRpc('GetAvailability', { sku: 'p1' })).toMatchObject({ sku: 'p1' });
      } finally {
        await second.close();
      }
    });
  });

  describe('server streams', () => {
    it('opens at the first metadata and yields each message until the server ends', async () => {
      connect();
      upstream.stream((call) => {
        const metadata = new Metadata();
        metadata.set('x-sim-instance', 'inventory:1');
        call.sendMetadata(metadata);
        setTimeout(() => {
          call.write(P1);
          call.write({ ...P1, stock: 0, available: false, revision: 1 });
          call.end();
        }, 20);
      });
      const stream = await client.streamRpc('WatchAvailability', { skus: ['p1'] });
      expect(stream.headers['x-sim-instance']).toBe('inventory:1');
      const seen: unknown[] = [];
      for await (const message of stream) seen.push(message);
      expect(seen).toEqual([P1, { ...P1, stock: 0, available: false, revision: 1 }]);
      expect(stream.closed).toBe(true);
    });

    it('has no deadline once open: it lives past the upstream timeout', async () => {
      connect({ ...noResilience, timeoutMs: 100 });
      upstream.stream((call) => {
        call.write(P1);
        setTimeout(() => call.write({ ...P1, revision: 1 }), 250);
      });
      const stream = await client.streamRpc('WatchAvailability', { skus: ['p1'] });
      const seen: any[] = [];
      for await (const message of stream) {
        seen.push(message);
        if (seen.length === 2) break;
      }
      expect(seen.map((m) => m.revision)).toEqual([0, 1]);
      expect(upstream.seen[0].deadlineInMs).toBe(Infinity);
      await waitFor(() => upstream.seen[0].cancelled);
    });

    it('cancel() and the signal end it quietly and cancel the call upstream', async () => {
      connect();
      upstream.stream((call) => call.write(P1));
      const stream = await client.streamRpc('WatchAvailability', { skus: ['p1'] });
      const iterator = stream[Symbol.asyncIterator]();
      expect((await iterator.next()).value).toEqual(P1);
      const next = iterator.next();
      stream.cancel();
      expect(await next).toEqual({ done: true, value: undefined });
      await waitFor(() => upstream.seen[0].cancelled);

      const controller = new AbortController();
      const second = await client.streamRpc('WatchAvailability', { skus: ['p1'] }, { signal: controller.signal });
      controller.abort();
      const rest: unknown[] = [];
      for await (const message of second) rest.push(message);
      await waitFor(() => upstream.seen[1]?.cancelled === true);
    });

    it('a stream refused before it opens rejects with the mapped status', async () => {
      connect();
      upstream.stream((call) => call.emit('error', { code: status.NOT_FOUND, details: 'db-primary.internal' }));
      expect(await failure(client.streamRpc('WatchAvailability', { skus: ['x'] }))).toMatchObject({ status: 404 });
    });

    it('a stream that fails once open throws the mapped error from the iteration', async () => {
      connect();
      upstream.stream((call) => {
        call.write(P1);
        setTimeout(() => call.emit('error', { code: status.UNAVAILABLE, details: 'db-primary.internal' }), 20);
      });
      const stream = await client.streamRpc('WatchAvailability', { skus: ['p1'] });
      const seen: unknown[] = [];
      const error = await (async () => {
        try {
          for await (const message of stream) seen.push(message);
        } catch (e) {
          return e as GatewayError;
        }
      })();
      expect(seen).toEqual([P1]);
      expect(error).toMatchObject({ status: 503, code: 'unavailable' });
    });

    it('opening is bounded by the timeout: a server that says nothing is 504', async () => {
      connect({ ...noResilience, timeoutMs: 100 });
      upstream.stream(() => undefined);
      expect(await failure(client.streamRpc('WatchAvailability', { skus: ['p1'] }))).toMatchObject({ status: 504 });
    });
  });

  describe('the contract', () => {
    it('refuses an unknown method, a stream through callRpc, and a unary one through streamRpc', async () => {
      connect();
      expect(() => client.rpc('Nope')).toThrow(/Nope is not a method of inventory.v1.Inventory/);
      await expect(client.callRpc('WatchAvailability', {})).rejects.toThrow(/streamRpc/);
      await expect(client.streamRpc('GetAvailability', {})).rejects.toThrow(/callRpc/);
    });

    it('reads idempotency from the contract', () => {
      connect();
      expect(client.rpc('GetAvailability')).toMatchObject({ path: '/inventory.v1.Inventory/GetAvailability', idempotent: true, responseStream: false });
    });

    it('fails at start when the proto or the service is not there', () => {
      expect(() => new UpstreamClient('inventory', testGrpcUpstreamConfig([upstream.url], { grpc: { protoFile: 'nope/v1/nope.proto', service: 'x.Y' } }))).toThrow(/nope\/v1\/nope.proto not found/);
      expect(() => new UpstreamClient('inventory', testGrpcUpstreamConfig([upstream.url], { grpc: { protoFile: 'inventory/v1/inventory.proto', service: 'inventory.v1.Nope' } }))).toThrow(/service inventory.v1.Nope is not in/);
    });
  });

  describe('readiness', () => {
    it('is up while the channel connects, down once the instance is gone', async () => {
      connect();
      expect(await client.instances[0].transport.probe('', 1_000)).toBe(true);
      await upstream.close();
      // The channel notices the server went away on its own time; then the probe says so.
      const until = Date.now() + 3_000;
      let up = true;
      while (up && Date.now() < until) up = await client.instances[0].transport.probe('', 200);
      expect(up).toBe(false);
    });
  });
});

async function waitFor(condition: () => boolean, ms = 2_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
