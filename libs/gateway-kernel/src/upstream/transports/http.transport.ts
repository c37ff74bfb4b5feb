import { Readable } from 'node:stream';
import { Pool } from 'undici';
import { upstreamTlsOptions, type UpstreamConfig } from '../../config';
import { LocalCallError } from '../../pipeline/local-call.error';
import type { InstanceTransport, UpstreamCall, UpstreamRequest } from '../../pipeline/upstream-call';
import { toGatewayError } from '../../pipeline/upstream-error.mapper';
import { DEADLINE_HEADER } from '../deadline.middleware';
import { HttpAnswerHandler } from './http-answer.handler';
import { outstandingCounter } from './outstanding-counter';
import type { UpstreamTransport } from './upstream-transport';

/**
 * One instance's keep-alive undici pool, made at start. Size and time bounds
 * are the pool's: no response larger than `maxResponseBytes`, no connect
 * slower than `connectTimeoutMs`; an `https://` origin is reached with the
 * upstream's `tls` settings (CA, client certificate, server name).
 *
 * @example const connections = new HttpConnections('http://10.0.0.7:4002', config);
 */
export class HttpConnections implements InstanceTransport {
  readonly pool: Pool;

  constructor(origin: string, config: UpstreamConfig) {
    this.pool = new Pool(origin, {
      connections: config.connections,
      pipelining: 1,
      keepAliveTimeout: config.keepAliveTimeoutMs,
      connectTimeout: config.connectTimeoutMs,
      headersTimeout: config.timeoutMs,
      bodyTimeout: config.timeoutMs,
      maxResponseSize: config.maxResponseBytes,
      connect: upstreamTlsOptions(config),
    });
  }

  /** A GET of `path` straight on the pool (no breaker, no retry); any answer below 500 is up, or any answer at all when `path` is empty. */
  async probe(path: string, timeoutMs: number): Promise<boolean> {
    try {
      const response = await this.pool.request({
        method: 'GET',
        path: path || '/',
        signal: AbortSignal.timeout(timeoutMs),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      await response.body.dump();
      return path ? response.statusCode < 500 : true;
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/**
 * HTTP/1.1 over undici pools: the pipeline's last stage sends the request on
 * the chosen instance's pool, tells the upstream how long this attempt may
 * take, and maps transport failures to 502/504 (or to the abort's own
 * reason); a failure on this side before the request reached the upstream
 * is a LocalCallError, which no breaker counts.
 *
 * @example transportFor('http') // registered in transport.registry
 */
export const httpTransport: UpstreamTransport<HttpConnections> = {
  connect: (origin, config) => new HttpConnections(origin, config),
  lastStage: (upstream, config) => httpCall(upstream, config.balancing === 'least-outstanding'),
};

/**
 * Sends on the pool. A buffered call (the caller reads the whole body: JSON
 * calls) is dispatched with a handler that collects the body and answers
 * once it is in, as a BufferedBody: no response stream, and the body is
 * part of the call, so the deadline, retries and breakers cover it. A call
 * with `bufferUpToBytes` (the proxy) goes through the same handler, which
 * buffers an answer declaring at most that many bytes and streams any other
 * from its headers. A plain stream goes through undici's request, answered
 * at headers, its body streamed under the body timeout. One promise per call.
 * `outstanding` is kept only where least-outstanding balancing reads it.
 */
function httpCall(upstream: string, countOutstanding: boolean): UpstreamCall {
  return (request) =>
    new Promise((resolve, reject) => {
      const instance = request.instance;
      if (!instance) throw new Error(`no instance chosen for upstream ${upstream}`);
      const connections = instance.transport;
      if (!(connections instanceof HttpConnections)) throw new Error(`upstream ${upstream}: instance ${instance.host} was not connected over http`);
      if (request.timeoutMs !== undefined) request.headers[DEADLINE_HEADER] = String(request.timeoutMs);
      const release = countOutstanding ? outstandingCounter(instance) : undefined;
      const options = {
        method: request.method as 'GET',
        path: instance.basePath + request.path,
        headers: request.headers as Record<string, string>,
        body: request.body ?? null,
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
        // A CallSignal is what undici asks of a signal: aborted, reason, add/removeEventListener (the buffering handler listens itself).
        signal: request.buffered || request.bufferUpToBytes !== undefined ? undefined : (request.signal as AbortSignal | undefined),
      };
      const failed = (error: Error) => {
        release?.();
        reject(transportError(error, request, upstream));
      };
      if (request.buffered || request.bufferUpToBytes !== undefined) {
        const streamAbove = request.buffered ? undefined : request.bufferUpToBytes;
        connections.pool.dispatch(options, new HttpAnswerHandler(request, instance.origin, resolve, failed, release, streamAbove));
        return;
      }
      connections.pool.request(options, (error, response) => {
        if (error) return failed(error);
        // 'end' comes before the reader's promise resolves, so the next pick sees the true count; 'close' covers dumps and errors.
        if (release) response.body.once('end', release).once('close', release);
        resolve({
          statusCode: response.statusCode,
          headers: response.headers,
          body: response.body,
          instance: instance.origin,
        });
      });
    });
}

/** A failed call as the pipeline sees it: the abort's own reason, a LocalCallError, or the transport error mapped. */
function transportError(error: Error, request: UpstreamRequest, upstream: string): Error {
  if (request.signal?.aborted) return toGatewayError(request.signal.reason ?? error, upstream);
  if (failedLocally(error, request.body)) return new LocalCallError(error, upstream);
  return toGatewayError(error, upstream);
}

/**
 * undici's refusals of a request it could not send as asked: an invalid
 * method, path or header value, a body longer or shorter than its
 * Content-Length, a pool already closed (shutdown).
 */
const LOCAL_CODES = new Set([
  'UND_ERR_INVALID_ARG',
  'UND_ERR_NOT_SUPPORTED',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);

/**
 * True when the request failed here, not at the upstream. A request body
 * stream that broke on this side (the proxy's 413, a caller's stream) reaches
 * undici as that stream's own error; a body undici destroyed because the
 * connection failed carries the socket's error instead (an `UND_ERR_` code or
 * a syscall), which is the upstream's.
 */
function failedLocally(error: unknown, body: UpstreamRequest['body']): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && LOCAL_CODES.has(code)) return true;
  if (!(body instanceof Readable) || body.errored !== error) return false;
  const fromSocket = (typeof code === 'string' && code.startsWith('UND_ERR_')) || typeof (error as { syscall?: unknown }).syscall === 'string';
  return !fromSocket;
}
