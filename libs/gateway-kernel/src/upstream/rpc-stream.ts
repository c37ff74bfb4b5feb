import type { GrpcMessageStream } from './transports/grpc/grpc-message-stream';

/**
 * An open server-streaming gRPC call: iterate it for each message as it
 * arrives; `cancel()` (or leaving a `for await` early, or the signal given
 * to `streamRpc`) ends it and cancels the call upstream. A call that fails
 * after it opened throws its GatewayError from the iteration (UNAVAILABLE:
 * 503), so a subscriber knows to open it again.
 *
 * @example
 * const stream = await registry.get('inventory').streamRpc('WatchAvailability', { skus: ['p1'] });
 * for await (const availability of stream) publish(availability);
 */
export class RpcStream<T = unknown> implements AsyncIterable<T> {
  constructor(
    private readonly body: GrpcMessageStream,
    /** The server's initial metadata (text values). */
    readonly headers: Readonly<Record<string, string>>,
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    try {
      for await (const message of this.body) yield message as T;
    } finally {
      this.body.destroy();
    }
  }

  /** Ends the stream from this side; messages already read ahead are still delivered. Safe to call twice. */
  cancel(): void {
    this.body.cancel();
  }

  /** True once the stream has ended, failed or been cancelled. */
  get closed(): boolean {
    return this.body.readableEnded || this.body.destroyed;
  }
}
