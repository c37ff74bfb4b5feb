import { constants, createServer, type Http2Server, type Http2Session, type ServerHttp2Stream } from 'node:http2';
import { join } from 'node:path';
import { loadSync } from '@grpc/proto-loader';
import type { GatewayError } from '../../errors';
import { TEST_GRPC_CONTRACT, testGrpcUpstreamConfig } from '../../testing/test-grpc-upstream';
import { UpstreamClient } from '../upstream-client';
import { frameMessage } from './grpc/grpc-framing';

// What the transport makes of each shape of answer a server may send, byte for byte: a plain
// node:http2 server stands in for one, where grpc-js's server would only ever send well-formed ones.

const P1 = { sku: 'p1', stock: 3, available: true, revision: 2, updatedAt: '2026-01-01T00:00:00.000Z' };
const GRPC = { ':status': 200, 'content-type': 'application/grpc' };
const noResilience = { retry: { maxAttempts: 0 }, breaker: { enabled: false } };
const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as GatewayError);

const definition = loadSync(join(process.cwd(), 'proto', TEST_GRPC_CONTRACT.protoFile), { keepCase: false, longs: Number, defaults: true });
const service = definition[TEST_GRPC_CONTRACT.service] as Record<string, { responseSerialize: (value: unknown) => Buffer }>;
const availability = (value: unknown) => frameMessage(service.GetAvailability.responseSerialize(value));

type Answer = (stream: ServerHttp2Stream) => void;

describe('grpc transport on the wire', () => {
  let server: Http2Server;
  let url: string;
  let answerWith: Answer;
  const sessions = new Set<Http2Session>();
  const seen: { path: string; headers: Record<string, unknown>; resetCode?: number }[] = [];
  let client: UpstreamClient;

  beforeEach(async () => {
    seen.length = 0;
    sessions.clear();
    server = createServer();
    server.on('session', (session) => sessions.add(session));
    server.on('stream', (stream, headers) => {
      const call = { path: String(headers[':path']), headers: { ...headers }, resetCode: undefined as number | undefined };
      seen.push(call);
      stream.on('close', () => (call.resetCode = stream.rstCode));
      stream.on('error', () => undefined); // the resets these tests send
      // Read the request before answering, as a server would.
      stream.resume();
      stream.once('end', () => answerWith(stream));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    answerWith = (stream) => {
      stream.respond(GRPC, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(availability(P1));
    };
  });
  afterEach(async () => {
    await client?.close();
    for (const session of sessions) session.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const connect = (overrides: Record<string, unknown> = noResilience) => (client = new UpstreamClient('inventory', testGrpcUpstreamConfig([url], overrides)));
  const call = () => client.callRpc('GetAvailability', { sku: 'p1' });
  const withTrailers = (trailers: Record<string, string>, ...chunks: Buffer[]): Answer => (stream) => {
    stream.respond(GRPC, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    for (const chunk of chunks) stream.write(chunk);
    stream.end();
  };

  it('sends a gRPC request: POST to the method path, application/grpc, te: trailers, the budget as grpc-timeout', async () => {
    connect({ ...noResilience, timeoutMs: 1_500 });
    expect(await call()).toEqual(P1);
    expect(seen[0]).toMatchObject({ path: '/inventory.v1.Inventory/GetAvailability', headers: { ':method': 'POST', 'content-type': 'application/grpc', te: 'trailers' } });
    expect(seen[0].headers['grpc-timeout']).toMatch(/^\d+m$/);
    expect(Number.parseInt(String(seen[0].headers['grpc-timeout']), 10)).toBeLessThanOrEqual(1_500);
  });

  it('reads a message the server wrote in pieces: the prefix split, the body split', async () => {
    connect();
    const wire = availability(P1);
    answerWith = withTrailers({ 'grpc-status': '0' }, wire.subarray(0, 2), wire.subarray(2, 9), wire.subarray(9));
    expect(await call()).toEqual(P1);
  });

  it('a trailers-only answer carries the status in its headers', async () => {
    connect();
    answerWith = (stream) => stream.respond({ ...GRPC, 'grpc-status': '5', 'grpc-message': 'db-primary.internal%20said%20no' }, { endStream: true });
    const error = await failure(call());
    expect(error).toMatchObject({ status: 404, code: 'not-found' });
    expect(error?.detail).not.toContain('db-primary');
  });

  it('trailers with no grpc-status are a failure, not an answer', async () => {
    connect();
    answerWith = withTrailers({ 'x-other': 'yes' }, availability(P1));
    expect(await failure(call())).toMatchObject({ status: 502 });
  });

  it('an answer that ends with no trailers at all is a failure', async () => {
    connect();
    answerWith = (stream) => {
      stream.respond(GRPC);
      stream.end(availability(P1));
    };
    expect(await failure(call())).toMatchObject({ status: 502 });
  });

  it('an HTTP status from something that is not a gRPC server keeps its meaning (503: unavailable, retried)', async () => {
    connect({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 2 }, breaker: { enabled: false } });
    answerWith = (stream) => stream.respond({ ':status': 503, 'content-type': 'text/html' }, { endStream: true });
    expect(await failure(call())).toMatchObject({ status: 503, code: 'unavailable' });
    expect(seen).toHaveLength(2);
  });

  it('refuses a message over maxResponseBytes at its prefix: 502 at once, and the stream is cancelled', async () => {
    connect({ ...noResilience, maxResponseBytes: 1_024 });
    answerWith = (stream) => {
      stream.respond(GRPC);
      // The prefix promises 10 MB that never come: the client must not wait for them.
      stream.write(Buffer.from([0, 0, 0xa0, 0, 0]));
    };
    expect(await failure(call())).toMatchObject({ status: 502 });
    await waitFor(() => seen[0].resetCode === constants.NGHTTP2_CANCEL);
  });

  it('refuses a compressed message: the gateway never offers an encoding', async () => {
    connect();
    const compressed = availability(P1);
    compressed[0] = 1;
    answerWith = withTrailers({ 'grpc-status': '0' }, compressed);
    expect(await failure(call())).toMatchObject({ status: 502 });
  });

  it('a reset from the server is the server failing (502); REFUSED_STREAM means it never ran (503, retried)', async () => {
    connect();
    answerWith = (stream) => stream.close(constants.NGHTTP2_INTERNAL_ERROR);
    expect(await failure(call())).toMatchObject({ status: 502 });
    await client.close();
    connect({ retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 2 }, breaker: { enabled: false } });
    answerWith = (stream) => stream.close(constants.NGHTTP2_REFUSED_STREAM);
    expect(await failure(call())).toMatchObject({ status: 503 });
    expect(seen).toHaveLength(3);
  });

  it('a connection lost mid-call fails the call as unavailable (no hang), and the next call connects again', async () => {
    connect();
    answerWith = (stream) => stream.session?.destroy();
    expect(await failure(call())).toMatchObject({ status: 503, code: 'unavailable' });
    answerWith = (stream) => {
      stream.respond(GRPC, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(availability(P1));
    };
    expect(await call()).toEqual(P1);
    expect(sessions.size).toBe(2);
  });

  it('a connection lost mid-stream ends the stream with unavailable from the iteration', async () => {
    connect();
    answerWith = (stream) => {
      stream.respond(GRPC);
      stream.write(availability(P1));
      setTimeout(() => stream.session?.destroy(), 20);
    };
    const stream = await client.streamRpc('WatchAvailability', { skus: ['p1'] });
    const messages: unknown[] = [];
    const error = await (async () => {
      try {
        for await (const message of stream) messages.push(message);
      } catch (e) {
        return e as GatewayError;
      }
    })();
    expect(messages).toEqual([P1]);
    expect(error).toMatchObject({ status: 503, code: 'unavailable' });
  });
});

async function waitFor(condition: () => boolean, ms = 2_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
