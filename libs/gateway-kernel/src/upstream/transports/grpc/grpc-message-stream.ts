import { Readable } from 'node:stream';
import type { UpstreamBody } from '../../../pipeline/upstream-call';

/** Messages read ahead of the consumer before the call is paused (HTTP/2 flow control then holds the server). */
const READ_AHEAD = 16;

/** What the body needs of its call: to hold it while the consumer is behind, and to stop it. */
export interface StreamControl {
  pause(): void;
  resume(): void;
  cancel(): void;
}

/**
 * A server stream's messages as the pipeline's response body: an
 * object-mode Readable, one decoded message per read, paused while the
 * consumer is behind. `cancel()` or destroying it (a consumer that stops
 * reading, a `for await` left early) cancels the call; a call that fails
 * destroys it with the gateway's error.
 *
 * @example for await (const message of response.body) handle(message);
 */
export class GrpcMessageStream extends Readable implements UpstreamBody {
  private finished = false;

  constructor(private readonly call: StreamControl) {
    super({ objectMode: true, highWaterMark: READ_AHEAD });
  }

  /** A message arrived. */
  message(value: unknown): void {
    if (!this.push(value)) this.call.pause();
  }

  /** Stops the call from this side: what was read ahead is still delivered, then the stream ends (no error). */
  cancel(): void {
    if (this.finished) return;
    this.finished = true;
    this.call.cancel();
    this.push(null);
  }

  /** The call ended: `error` is the mapped failure, or undefined for OK. Ignored after a cancel of ours. */
  finish(error?: Error): void {
    if (this.finished) return;
    this.finished = true;
    if (error) this.destroy(error);
    else this.push(null);
  }

  override _read(): void {
    this.call.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.finished) {
      this.finished = true;
      this.call.cancel();
    }
    callback(error);
  }

  /** Every message until the end, as an array (a stream the server ends). */
  async json(): Promise<unknown> {
    const messages: unknown[] = [];
    for await (const message of this) messages.push(message);
    return messages;
  }

  async text(): Promise<string> {
    return JSON.stringify(await this.json());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(Buffer.from(await this.text())).buffer;
  }

  async dump(): Promise<void> {
    this.destroy();
  }
}
