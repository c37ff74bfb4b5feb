import type { OutgoingHttpHeaders } from 'node:http2';
import { upstreamTlsOptions, type UpstreamConfig, type UpstreamTlsOptions } from '../../config';
import { LocalCallError } from '../../pipeline/local-call.error';
import type { InstanceTransport, UpstreamCall } from '../../pipeline/upstream-call';
import { toGatewayError } from '../../pipeline/upstream-error.mapper';
import { grpcContract } from './grpc/grpc-contract';
import { frameMessage } from './grpc/grpc-framing';
import { requestHeaders } from './grpc/grpc-metadata';
import { H2Session } from './grpc/h2-session';
import { StreamCall } from './grpc/stream-call';
import { type CallTarget, UnaryCall } from './grpc/unary-call';
import { outstandingCounter } from './outstanding-counter';
import type { UpstreamTransport } from './upstream-transport';

/**
 * One instance's gRPC connection: one HTTP/2 session (node:http2, every
 * call a stream on it), made at start and reused by every call, opened
 * again lazily when it is lost (grpc/h2-session). TLS for an `https://`
 * URL, with the upstream's `tls` settings; plaintext (h2c) for `http://`.
 * There is no client library in between: name resolution, balancing,
 * retries, deadlines and the breaker are the pipeline's stages, so the
 * transport only frames the call.
 *
 * @example const channel = new GrpcChannel('http://10.0.0.7:4005');
 */
export class GrpcChannel implements InstanceTransport {
  readonly h2: H2Session;

  constructor(origin: string, tls?: UpstreamTlsOptions) {
    this.h2 = new H2Session(origin, tls);
  }

  /** Whether the connection is up within `timeoutMs`; gRPC has no health path to GET (the path is not used). */
  probe(_path: string, timeoutMs: number): Promise<boolean> {
    return this.h2.ready(timeoutMs);
  }

  async close(): Promise<void> {
    this.h2.close();
  }
}

/**
 * gRPC over one HTTP/2 connection per instance: the pipeline's last stage
 * sends the request's `message` as the method at `path` on the chosen
 * instance, with the request's headers as metadata (request id,
 * traceparent, the verified caller) and its remaining budget as
 * `grpc-timeout`, which the server sees as its deadline. A unary call
 * answers with the decoded message (a DecodedBody); a server stream
 * answers at its response headers with the messages as the body
 * (GrpcMessageStream), so the deadline bounds opening it, not its life.
 * Failure statuses map to the error table (grpc/grpc-status); a request
 * that could not be sent as asked (a message the contract cannot encode,
 * metadata gRPC cannot carry, a closed channel) is a LocalCallError.
 *
 * @example transportFor('grpc') // registered in transport.registry
 */
export const grpcTransport: UpstreamTransport<GrpcChannel> = {
  connect: (origin, config) => new GrpcChannel(origin, upstreamTlsOptions(config)),
  lastStage: (upstream, config) => grpcCall(upstream, config),
};

function grpcCall(upstream: string, config: UpstreamConfig): UpstreamCall {
  const contract = grpcContract(upstream, config);
  const countOutstanding = config.balancing === 'least-outstanding';
  const maxMessageBytes = config.maxResponseBytes;
  return (request) =>
    new Promise((resolve, reject) => {
      const instance = request.instance;
      if (!instance) throw new Error(`no instance chosen for upstream ${upstream}`);
      const channel = instance.transport;
      if (!(channel instanceof GrpcChannel)) throw new Error(`upstream ${upstream}: instance ${instance.host} was not connected over grpc`);
      const method = contract.byPath.get(request.path);
      if (!method) return reject(new LocalCallError(new Error(`${request.path} is not a method of ${contract.service}`), upstream));
      if (channel.h2.isClosed) return reject(new LocalCallError(new Error('channel closed'), upstream));
      const signal = request.signal;
      if (signal?.aborted) return reject(toGatewayError(signal.reason, upstream));
      let headers: OutgoingHttpHeaders;
      let body: Buffer;
      try {
        // No grpc-timeout on a stream: it lives as long as its consumer reads it; opening it is bounded by the signal.
        headers = requestHeaders(method.path, request.headers, method.responseStream ? undefined : request.timeoutMs);
        body = frameMessage(method.serialize(request.message ?? {}));
      } catch (error) {
        return reject(new LocalCallError(error, upstream));
      }
      const release = countOutstanding ? outstandingCounter(instance) : undefined;
      const target: CallTarget = { upstream, request, instance, method, resolve, reject, release };
      if (method.responseStream) new StreamCall(target, channel.h2, maxMessageBytes, headers, body);
      else new UnaryCall(target, channel.h2, maxMessageBytes, headers, body);
    });
}
