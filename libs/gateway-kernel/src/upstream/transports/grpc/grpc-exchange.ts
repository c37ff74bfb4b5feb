import { constants, type ClientHttp2Stream, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http2';
import { closedWithoutStatus, statusOf } from './call-status';
import { MessageReader, type MessageSink } from './grpc-framing';
import { GrpcCallError, GrpcStatus } from './grpc-status';
import type { H2Connection, H2Session } from './h2-session';

const EXCHANGE = Symbol('grpc exchange');
type ExchangeStream = ClientHttp2Stream & { [EXCHANGE]: GrpcExchange };

/** The stream's options: the request has a body (POST), so nothing to change from the defaults. */
const REQUEST_OPTIONS = {};

/**
 * One gRPC call as one HTTP/2 stream on an instance's connection: sends the
 * request's headers and its one framed message, then reads the answer
 * (response headers, length-prefixed messages, trailers) and ends exactly
 * once, with null for OK or the call's failure (see call-status: the
 * server's status, or what a reset or a lost connection means). A
 * subclass says what a message and the end mean: one answer (unary) or a
 * server stream's body.
 *
 * The stream's listeners are shared functions that find the exchange on
 * the stream, so a call costs no closures for them.
 *
 * @example class Unary extends GrpcExchange { protected received(value) { ... } protected finish(failure) { ... } }
 */
export abstract class GrpcExchange implements MessageSink {
  private stream: ClientHttp2Stream | undefined;
  private connection: H2Connection | undefined;
  private readonly reader: MessageReader;
  private httpStatus = 0;
  private trailers: IncomingHttpHeaders | undefined;
  private cause: Error | undefined;
  private ended = false;

  constructor(
    private readonly h2: H2Session,
    private readonly deserialize: (bytes: Buffer) => unknown,
    maxMessageBytes: number,
  ) {
    this.reader = new MessageReader(maxMessageBytes);
  }

  /** Each decoded message, in order. */
  protected abstract received(value: unknown): void;

  /** The call ended: null for OK, else its failure (a cancel of ours included). Called once. */
  protected abstract finish(failure: GrpcCallError | null): void;

  /** The server answered with its response headers (metadata), before any message. */
  protected opened(_headers: IncomingHttpHeaders): void {
    // A unary call has no use for them.
  }

  /** Sends the call. A connection that is gone or backing off ends it at once as UNAVAILABLE. */
  protected send(headers: OutgoingHttpHeaders, body: Buffer): void {
    const connection = this.h2.current();
    if (connection === undefined) return this.end(new GrpcCallError(GrpcStatus.UNAVAILABLE, 'not connected: the last attempt failed'));
    let stream: ClientHttp2Stream;
    try {
      stream = connection.session.request(headers, REQUEST_OPTIONS);
    } catch (error) {
      // The session closed or ran out of stream ids between current() and now: the call did not run.
      return this.end(new GrpcCallError(GrpcStatus.UNAVAILABLE, `no new stream: ${(error as Error).message}`));
    }
    this.stream = stream;
    this.connection = connection;
    this.h2.hold(connection);
    (stream as ExchangeStream)[EXCHANGE] = this;
    stream.on('response', onResponse);
    stream.on('data', onData);
    stream.on('trailers', onTrailers);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
    stream.end(body);
  }

  /** Stops reading until `resume` (HTTP/2 flow control then holds the server). */
  pause(): void {
    this.stream?.pause();
  }

  resume(): void {
    this.stream?.resume();
  }

  /** Ends the call from this side (RST_STREAM CANCEL; the server sees it cancelled), as CANCELLED. Nothing once it ended. */
  cancel(): void {
    if (this.ended) return;
    this.stream?.close(constants.NGHTTP2_CANCEL);
    this.end(new GrpcCallError(GrpcStatus.CANCELLED, 'cancelled by the gateway'));
  }

  /** MessageSink: one whole message from the reader. */
  message(bytes: Buffer): void {
    if (this.ended) return;
    let value: unknown;
    try {
      value = this.deserialize(bytes);
    } catch (error) {
      return this.fail(new GrpcCallError(GrpcStatus.INTERNAL, `the response message does not decode: ${(error as Error).message}`));
    }
    this.received(value);
  }

  /** A failure found here (a message refused or undecodable): the stream is cancelled, the call ends with it. */
  protected fail(failure: GrpcCallError): void {
    if (this.ended) return;
    this.stream?.close(constants.NGHTTP2_CANCEL);
    this.end(failure);
  }

  private end(failure: GrpcCallError | null): void {
    if (this.ended) return;
    this.ended = true;
    this.finish(failure);
  }

  // The stream's events, reached through the shared listeners below the class.

  static onResponse(exchange: GrpcExchange, headers: IncomingHttpHeaders, flags: number): void {
    exchange.httpStatus = Number(headers[':status']);
    // END_STREAM on the headers: a trailers-only answer, the status is in them.
    if (flags & constants.NGHTTP2_FLAG_END_STREAM) exchange.trailers = headers;
    else if (exchange.httpStatus === 200 && !exchange.ended) exchange.opened(headers);
  }

  static onData(exchange: GrpcExchange, chunk: Buffer): void {
    if (exchange.ended) return;
    try {
      exchange.reader.read(chunk, exchange);
    } catch (error) {
      exchange.fail(error instanceof GrpcCallError ? error : new GrpcCallError(GrpcStatus.INTERNAL, String(error)));
    }
  }

  static onTrailers(exchange: GrpcExchange, trailers: IncomingHttpHeaders): void {
    exchange.trailers = trailers;
  }

  /** Every message was read: the status stands, unless there was none (then the close says why). */
  static onEnd(exchange: GrpcExchange): void {
    const trailers = exchange.trailers;
    if (trailers === undefined || exchange.ended) return;
    const failure = statusOf(trailers, exchange.httpStatus);
    if (failure === null && exchange.reader.partial) exchange.end(new GrpcCallError(GrpcStatus.INTERNAL, 'the answer ended inside a message'));
    else exchange.end(failure);
  }

  static onError(exchange: GrpcExchange, error: Error): void {
    // A reset from the server arrives as ERR_HTTP2_STREAM_ERROR; its rstCode says more. Anything else (a socket's error) is the cause.
    if ((error as { code?: string }).code !== 'ERR_HTTP2_STREAM_ERROR') exchange.cause = error;
  }

  static onClose(exchange: GrpcExchange): void {
    const connection = exchange.connection;
    if (connection !== undefined) exchange.h2.release(connection);
    if (exchange.ended) return;
    const lost = connection !== undefined && connection.session.destroyed;
    exchange.end(closedWithoutStatus(exchange.stream?.rstCode, exchange.httpStatus, lost, exchange.cause));
  }
}

function onResponse(this: ExchangeStream, headers: IncomingHttpHeaders, flags: number): void {
  GrpcExchange.onResponse(this[EXCHANGE], headers, flags);
}
function onData(this: ExchangeStream, chunk: Buffer): void {
  GrpcExchange.onData(this[EXCHANGE], chunk);
}
function onTrailers(this: ExchangeStream, trailers: IncomingHttpHeaders): void {
  GrpcExchange.onTrailers(this[EXCHANGE], trailers);
}
function onEnd(this: ExchangeStream): void {
  GrpcExchange.onEnd(this[EXCHANGE]);
}
function onError(this: ExchangeStream, error: Error): void {
  GrpcExchange.onError(this[EXCHANGE], error);
}
function onClose(this: ExchangeStream): void {
  GrpcExchange.onClose(this[EXCHANGE]);
}
