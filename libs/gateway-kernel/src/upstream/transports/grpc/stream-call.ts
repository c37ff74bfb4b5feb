import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http2';
import type { Span } from '@opentelemetry/api';
import { GrpcExchange } from './grpc-exchange';
import { GrpcMessageStream } from './grpc-message-stream';
import { headersOf } from './grpc-metadata';
import { callFailure, GrpcStatus, type GrpcCallError } from './grpc-status';
import { endRpcSpan, rpcSpan } from './grpc-tracing';
import type { H2Session } from './h2-session';
import type { CallTarget } from './unary-call';

/**
 * A server-streaming call: answers at the server's response headers (or its
 * first message) with the messages as the body (GrpcMessageStream), so the
 * request's signal bounds opening it, not its life; a failure after that
 * ends the body with the mapped error. The body pauses the HTTP/2 stream
 * while its consumer is behind.
 *
 * @example new StreamCall(target, channel.h2, config.maxResponseBytes, headers, frameMessage(bytes));
 */
export class StreamCall extends GrpcExchange {
  private readonly body = new GrpcMessageStream(this);
  private answered = false;
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

  protected override opened(headers: IncomingHttpHeaders): void {
    this.answer(headersOf(headers));
  }

  protected received(value: unknown): void {
    this.answer({});
    this.body.message(value);
  }

  protected finish(failure: GrpcCallError | null): void {
    const { request, upstream } = this.target;
    this.target.release?.();
    endRpcSpan(this.span, failure?.code ?? GrpcStatus.OK);
    if (!this.answered) {
      if (failure) {
        request.signal?.removeEventListener('abort', this.onAbort);
        return this.target.reject(callFailure(failure, request, upstream));
      }
      this.answer({});
    }
    // After a cancel of ours (the consumer stopped) the body has ended already and ignores this.
    this.body.finish(failure ? callFailure(failure, request, upstream) : undefined);
  }

  private answer(headers: Record<string, string>): void {
    if (this.answered) return;
    this.answered = true;
    this.target.request.signal?.removeEventListener('abort', this.onAbort);
    this.target.resolve({ statusCode: 200, headers, body: this.body, instance: this.target.instance.origin });
  }
}
