import { Readable } from 'node:stream';
import type { UpstreamBody } from './upstream-call';

/**
 * A body the transport has already decoded into a value (a gRPC message):
 * `json()` hands the value over with no serialise and parse; read as bytes
 * or text it is that value's JSON, made only if someone asks.
 *
 * @example return { statusCode: 200, headers: {}, body: new DecodedBody(message), instance: origin };
 */
export class DecodedBody extends Readable implements UpstreamBody {
  private pushed = false;

  constructor(readonly value: unknown) {
    super();
  }

  override _read(): void {
    if (!this.pushed) this.push(Buffer.from(JSON.stringify(this.value)));
    this.pushed = true;
    this.push(null);
  }

  async text(): Promise<string> {
    return JSON.stringify(this.value);
  }

  async json(): Promise<unknown> {
    return this.value;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(Buffer.from(JSON.stringify(this.value))).buffer;
  }

  async dump(): Promise<void> {
    this.destroy();
  }
}
