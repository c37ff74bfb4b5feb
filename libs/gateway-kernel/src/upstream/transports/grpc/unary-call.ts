import type { OutgoingHttpHeaders } from 'node:http2';
import type { Span } from '@opentelemetry/api';
import { DecodedBody } from '../../../pipeline/decoded-body';
import type { UpstreamInstance, UpstreamRequest, UpstreamResponse } from '../../../pipeline/upstream-call';
import type { RpcMethod } from './grpc-contract';
import { GrpcExchange } from './grpc-exchange';
import { callFailure, GrpcCallError, GrpcStatus } from './grpc-status';
import { endRpcSpan, rpcSpan } from './grpc-tracing';
import type { H2Session } from './h2-session';

/** Where a call answers to, and what it is for: the pipeline's side of one gRPC call. */
export interface CallTarget {
  upstream: string;
  request: UpstreamRequest;
  instance: UpstreamInstance;
  method: RpcMethod;
  resolve: (response: UpstreamResponse) => void;
  reject: (error: Error) => void;
  /** Counts the call in flight on its instance until called (least-outstanding balancing only). */
  release: (() => void) | undefined;
}

/**
 * A unary call: one message answers it, as a DecodedBody, once the status
 * is OK; none, or more than one, is the server breaking the contract. The
 * request's signal (the deadline, the caller going away) cancels it.
 *
 * @example new UnaryCall(target, channel.h2, config.maxResponseBytes, headers, frameMessage(bytes));
 */
export class UnaryCall extends GrpcExchange {
  private value: unknown = undefined;
  private messages = 0;
  private readonly span: Span | undefined;
  private readonly onAbort = () => this.cancel();

  constructor(
    private readonly target: CallTarget,
    h2: H2Session,
    maxMessageBytes: number,
    headers: OutgoingHttpHeaders,
    body: Buffer,
  ) {
    super(h2, target.method.deserialize, maxMessageBytes);
    this.span = rpcSpan(target.method, target.upstream, target.instance.host, headers);
    target.request.signal?.addEventListener('abort', this.onAbort);
    this.send(headers, body);
  }

  protected received(value: unknown): void {
    if (++this.messages > 1) return this.fail(new GrpcCallError(GrpcStatus.UNIMPLEMENTED, 'more than one message answered a unary call'));
    this.value = value;
  }

  protected finish(failure: GrpcCallError | null): void {
    const { request, instance, upstream } = this.target;
    const outcome = failure ?? (this.messages === 0 ? new GrpcCallError(GrpcStatus.UNIMPLEMENTED, 'no message answered a unary call') : null);
    request.signal?.removeEventListener('abort', this.onAbort);
    this.target.release?.();
    endRpcSpan(this.span, outcome?.code ?? GrpcStatus.OK);
    if (outcome) this.target.reject(callFailure(outcome, request, upstream));
    else this.target.resolve({ statusCode: 200, headers: {}, body: new DecodedBody(this.value), instance: instance.origin });
  }
}
