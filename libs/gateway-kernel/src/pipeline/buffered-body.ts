import { Readable } from 'node:stream';
import type { UpstreamBody, UpstreamResponse } from './upstream-call';
import { toGatewayError } from './upstream-error.mapper';

/**
 * A body already read into memory, readable like a transport's (text, json,
 * arrayBuffer, dump, or as a stream), so one upstream answer can be handed to
 * several callers or kept in a cache.
 *
 * @example return { statusCode: 200, headers: {}, body: new BufferedBody(entry.body), instance: 'cache' };
 */
export class BufferedBody extends Readable implements UpstreamBody {
  private pushed = false;

  constructor(readonly buffer: Buffer) {
    super();
  }

  override _read(): void {
    if (!this.pushed && this.buffer.length > 0) this.push(this.buffer);
    this.pushed = true;
    this.push(null);
  }

  async text(): Promise<string> {
    return this.buffer.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.buffer.toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(this.buffer).buffer;
  }

  async dump(): Promise<void> {
    this.destroy();
  }
}

/**
 * An answer whose body is in memory.
 *
 * @example const buffered: BufferedResponse = await bufferResponse(response, 'catalog');
 */
export type BufferedResponse = UpstreamResponse & { body: BufferedBody };

/**
 * Reads the whole body (bounded by the upstream's maxResponseBytes) once; an
 * answer that is already buffered is returned as is.
 *
 * @example const buffered = await bufferResponse(await next(request), 'catalog');
 */
export function bufferResponse(response: UpstreamResponse, upstream: string): Promise<BufferedResponse> {
  if (response.body instanceof BufferedBody) return Promise.resolve(response as BufferedResponse);
  return response.body.arrayBuffer().then(
    (bytes) => ({ statusCode: response.statusCode, headers: response.headers, body: new BufferedBody(Buffer.from(bytes)), instance: response.instance }),
    (error: unknown) => {
      throw toGatewayError(error, upstream);
    },
  );
}

/**
 * A copy for one more caller: same status and headers, its own body stream.
 *
 * @example resolve(replayResponse(shared));
 */
export function replayResponse(response: BufferedResponse): BufferedResponse {
  return { statusCode: response.statusCode, headers: response.headers, body: new BufferedBody(response.body.buffer), instance: response.instance };
}
