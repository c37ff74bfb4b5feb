import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import { util, type Dispatcher } from 'undici';
import type { CancelSignal } from '../../context';
import { BufferedBody } from '../../pipeline/buffered-body';
import type { UpstreamRequest, UpstreamResponse } from '../../pipeline/upstream-call';

/**
 * undici's dispatch handler for one call, answering in one of two ways:
 * buffered (status, headers and a BufferedBody once the whole body is in)
 * or, when `streamAbove` is set and the answer declares more bytes than that
 * or no length, at its headers with an HttpAnswerStream fed as the body
 * arrives. The request's signal aborts it until it is answered; after that a
 * stream is ended by its consumer (destroying it aborts the request).
 *
 * @example pool.dispatch(options, new HttpAnswerHandler(request, instance.origin, resolve, reject, release, 64 * 1024));
 */
export class HttpAnswerHandler implements Dispatcher.DispatchHandler {
  private abort: ((reason?: Error) => void) | undefined;
  private statusCode = 0;
  private rawHeaders: Buffer[] = [];
  private headers: IncomingHttpHeaders | undefined;
  private readonly chunks: Buffer[] = [];
  private readonly signal: CancelSignal | undefined;
  private stream: HttpAnswerStream | undefined;

  constructor(
    request: UpstreamRequest,
    private readonly instance: string,
    private readonly resolve: (response: UpstreamResponse) => void,
    private readonly reject: (error: Error) => void,
    private readonly release: (() => void) | undefined,
    private readonly streamAbove?: number,
  ) {
    this.signal = request.signal;
    this.signal?.addEventListener('abort', this.onAbort);
  }

  private readonly onAbort = () => this.abort?.(this.signal?.reason as Error);

  onConnect(abort: (reason?: Error) => void): void {
    if (this.signal?.aborted) abort(this.signal.reason as Error);
    else this.abort = abort;
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    // 1xx (100-continue, 103 early hints) are not the answer.
    if (statusCode < 200) return true;
    this.statusCode = statusCode;
    this.rawHeaders = rawHeaders;
    if (this.streamAbove === undefined) return true;
    const headers = (this.headers = util.parseHeaders(rawHeaders) as IncomingHttpHeaders);
    const declared = headers['content-length'];
    if (declared !== undefined && Number(declared) <= this.streamAbove) return true;
    this.signal?.removeEventListener('abort', this.onAbort);
    const abort = this.abort;
    this.stream = new HttpAnswerStream(resume, (reason) => abort?.(reason));
    this.resolve({ statusCode, headers, body: this.stream, instance: this.instance });
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.stream) return this.stream.push(chunk);
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    this.release?.();
    if (this.stream) {
      this.stream.complete();
      return;
    }
    this.signal?.removeEventListener('abort', this.onAbort);
    const chunks = this.chunks;
    const body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    this.resolve({
      statusCode: this.statusCode,
      headers: this.headers ?? (util.parseHeaders(this.rawHeaders) as IncomingHttpHeaders),
      body: new BufferedBody(body),
      instance: this.instance,
    });
  }

  onError(error: Error): void {
    if (this.stream) {
      this.release?.();
      this.stream.destroy(error);
      return;
    }
    this.signal?.removeEventListener('abort', this.onAbort);
    this.reject(error);
  }
}

/**
 * A streamed answer's body, read like undici's (text, json, arrayBuffer,
 * dump): the socket is paused while the consumer lags and resumed as it
 * reads; destroyed before its end, it aborts the request.
 */
export class HttpAnswerStream extends Readable {
  private completed = false;

  constructor(
    private readonly resumeUpstream: () => void,
    private readonly abortUpstream: (reason?: Error) => void,
  ) {
    super();
  }

  complete(): void {
    this.completed = true;
    this.push(null);
  }

  override _read(): void {
    this.resumeUpstream();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.completed) this.abortUpstream(error ?? new Error('the answer was not read to its end'));
    callback(error);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this) chunks.push(chunk as Buffer);
    const whole = Buffer.concat(chunks);
    return whole.buffer.slice(whole.byteOffset, whole.byteOffset + whole.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return Buffer.from(await this.arrayBuffer()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async dump(): Promise<void> {
    this.destroy();
  }
}
