import { Client, credentials, type ClientOptions, type Metadata, type ServiceError, status as GrpcStatus } from '@grpc/grpc-js';
import type { UpstreamConfig } from '../../config';
import { DecodedBody } from '../../pipeline/decoded-body';
import { LocalCallError } from '../../pipeline/local-call.error';
import type { InstanceTransport, UpstreamCall, UpstreamInstance, UpstreamRequest, UpstreamResponse } from '../../pipeline/upstream-call';
import { toGatewayError } from '../../pipeline/upstream-error.mapper';
import { grpcContract, type RpcMethod } from './grpc/grpc-contract';
import { GrpcMessageStream } from './grpc/grpc-message-stream';
import { headersOf, metadataOf } from './grpc/grpc-metadata';
import { grpcStatusError } from './grpc/grpc-status';
import { endRpcSpan, rpcSpan } from './grpc/grpc-tracing';
import { outstandingCounter } from './outstanding-counter';
import type { UpstreamTransport } from './upstream-transport';

/**
 * Redial a lost instance soon (100 ms, backing off to 2 s at most, where
 * grpc-js's default climbs to 2 minutes): the breaker and readiness decide
 * when to send it calls again, and they need the channel back to do so.
 */
const RECONNECT_BACKOFF = { 'grpc.initial_reconnect_backoff_ms': 100, 'grpc.max_reconnect_backoff_ms': 2_000 };

/**
 * One instance's gRPC channel (grpc-js Client: one HTTP/2 connection,
 * multiplexed), made at start and reused by every call. TLS for an
 * `https://` URL; plaintext (h2c) for `http://`. The gateway's retry stage
 * is the only one: grpc-js's own retries are off, and no service config is
 * fetched from DNS.
 *
 * @example const channel = new GrpcChannel('http://10.0.0.7:4005', config);
 */
export class GrpcChannel implements InstanceTransport {
  readonly client: Client;
  private closed = false;

  constructor(origin: string, config: UpstreamConfig) {
    const url = new URL(origin);
    const options: ClientOptions = {
      ...RECONNECT_BACKOFF,
      'grpc.max_receive_message_length': config.maxResponseBytes,
      'grpc.enable_retries': 0,
      'grpc.service_config_disable_resolution': 1,
    };
    this.client = new Client(url.host, url.protocol === 'https:' ? credentials.createSsl() : credentials.createInsecure(), options);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Whether the channel connects within `timeoutMs`; gRPC has no health path to GET (the path is not used). */
  probe(_path: string, timeoutMs: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => this.client.waitForReady(Date.now() + timeoutMs, (error) => resolve(!error)));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.client.close();
  }
}

/**
 * gRPC over one channel per instance: the pipeline's last stage sends the
 * request's `message` as the method at `path` on the chosen instance, with
 * the request's headers as metadata (request id, traceparent, the verified
 * caller) and its remaining budget as the gRPC deadline, which the server
 * sees. A unary call answers with the decoded message (a DecodedBody); a
 * server stream answers at its first metadata with the messages as the body
 * (GrpcMessageStream), so the deadline bounds opening it, not its life.
 * Failure statuses map to the error table (grpc/grpc-status); a request
 * that could not be sent as asked is a LocalCallError.
 *
 * @example transportFor('grpc') // registered in transport.registry
 */
export const grpcTransport: UpstreamTransport<GrpcChannel> = {
  connect: (origin, config) => new GrpcChannel(origin, config),
  lastStage: (upstream, config) => grpcCall(upstream, config),
};

function grpcCall(upstream: string, config: UpstreamConfig): UpstreamCall {
  const contract = grpcContract(upstream, config);
  const countOutstanding = config.balancing === 'least-outstanding';
  return (request) =>
    new Promise((resolve, reject) => {
      const instance = request.instance;
      if (!instance) throw new Error(`no instance chosen for upstream ${upstream}`);
      const channel = instance.transport;
      if (!(channel instanceof GrpcChannel)) throw new Error(`upstream ${upstream}: instance ${instance.host} was not connected over grpc`);
      const method = contract.byPath.get(request.path);
      if (!method) return reject(new LocalCallError(new Error(`${request.path} is not a method of ${contract.service}`), upstream));
      if (channel.isClosed) return reject(new LocalCallError(new Error('channel closed'), upstream));
      const signal = request.signal;
      if (signal?.aborted) return reject(toGatewayError(signal.reason, upstream));
      let metadata: Metadata;
      try {
        metadata = metadataOf(request.headers);
      } catch (error) {
        return reject(new LocalCallError(error, upstream));
      }
      const call = { upstream, request, instance, channel, method, metadata, resolve, reject };
      if (method.responseStream) openStream(call, countOutstanding);
      else callUnary(call, countOutstanding);
    });
}

interface PendingCall {
  upstream: string;
  request: UpstreamRequest;
  instance: UpstreamInstance;
  channel: GrpcChannel;
  method: RpcMethod;
  metadata: Metadata;
  resolve: (response: UpstreamResponse) => void;
  reject: (error: Error) => void;
}

function callUnary({ upstream, request, instance, channel, method, metadata, resolve, reject }: PendingCall, countOutstanding: boolean): void {
  const span = rpcSpan(method, upstream, instance.host, metadata);
  const release = countOutstanding ? outstandingCounter(instance) : undefined;
  const signal = request.signal;
  const deadline = request.timeoutMs === undefined ? Infinity : Date.now() + request.timeoutMs;
  const onAbort = () => call.cancel();
  const call = channel.client.makeUnaryRequest(
    method.path,
    method.serialize,
    method.deserialize,
    request.message ?? {},
    metadata,
    { deadline },
    (error, value) => {
      signal?.removeEventListener('abort', onAbort);
      release?.();
      endRpcSpan(span, error?.code ?? GrpcStatus.OK);
      if (error) reject(failure(error, request, upstream));
      else resolve({ statusCode: 200, headers: {}, body: new DecodedBody(value), instance: instance.origin });
    },
  );
  signal?.addEventListener('abort', onAbort);
}

function openStream({ upstream, request, instance, channel, method, metadata, resolve, reject }: PendingCall, countOutstanding: boolean): void {
  const span = rpcSpan(method, upstream, instance.host, metadata);
  const release = countOutstanding ? outstandingCounter(instance) : undefined;
  const signal = request.signal;
  // No gRPC deadline: a stream lives as long as its consumer reads it; opening it is bounded by the signal.
  const call = channel.client.makeServerStreamRequest(method.path, method.serialize, method.deserialize, request.message ?? {}, metadata, {});
  const body = new GrpcMessageStream(call);
  let answered = false;
  const answer = (headers: Record<string, string>) => {
    if (answered) return;
    answered = true;
    signal?.removeEventListener('abort', onAbort);
    resolve({ statusCode: 200, headers, body, instance: instance.origin });
  };
  const onAbort = () => call.cancel();
  signal?.addEventListener('abort', onAbort);
  call.on('metadata', (received: Metadata) => answer(headersOf(received)));
  call.on('data', (message: unknown) => {
    answer({});
    body.message(message);
  });
  call.on('end', () => {
    answer({});
    body.finish();
  });
  call.on('error', (error: ServiceError) => {
    release?.();
    endRpcSpan(span, error.code);
    if (!answered) {
      signal?.removeEventListener('abort', onAbort);
      return reject(failure(error, request, upstream));
    }
    // After a cancel of ours (the consumer stopped) the body has ended already and ignores this.
    body.finish(failure(error, request, upstream));
  });
  call.on('status', (status: { code: number }) => {
    if (status.code === GrpcStatus.OK) {
      release?.();
      endRpcSpan(span, GrpcStatus.OK);
    }
  });
}

/** A failed call as the pipeline sees it: the abort's own reason, a LocalCallError, or the status mapped. */
function failure(error: ServiceError, request: UpstreamRequest, upstream: string): Error {
  if (request.signal?.aborted) return toGatewayError(request.signal.reason ?? error, upstream);
  // grpc-js reports a message it could not encode as INTERNAL; it never left this process.
  if (error.code === GrpcStatus.INTERNAL && error.details?.startsWith('Request message serialization failure')) return new LocalCallError(error, upstream);
  return grpcStatusError(error, upstream);
}
