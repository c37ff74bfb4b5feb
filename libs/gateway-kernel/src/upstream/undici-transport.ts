import { Pool } from 'undici';
import type { UpstreamConfig } from '../config';
import { DEADLINE_HEADER } from './deadline.middleware';
import type { UpstreamCall } from '../pipeline/upstream-call';
import { toGatewayError } from '../pipeline/upstream-error.mapper';

/**
 * The keep-alive pool of one instance, made at start. Size and time bounds
 * are the pool's: no response larger than `maxResponseBytes`, no connect
 * slower than `connectTimeoutMs`.
 */
export function createPool(origin: string, config: UpstreamConfig): Pool {
  return new Pool(origin, {
    connections: config.connections,
    pipelining: 1,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    connectTimeout: config.connectTimeoutMs,
    headersTimeout: config.timeoutMs,
    bodyTimeout: config.timeoutMs,
    maxResponseSize: config.maxResponseBytes,
  });
}

/**
 * The last stage: sends the request on the chosen instance's pool, tells the
 * upstream how long this attempt may take, and maps transport failures to
 * 502/504 (or to the abort's own reason).
 */
export function undiciTransport(upstream: string): UpstreamCall {
  return async (request) => {
    const instance = request.instance;
    if (!instance) throw new Error(`no instance chosen for upstream ${upstream}`);
    if (request.timeoutMs !== undefined) request.headers[DEADLINE_HEADER] = String(request.timeoutMs);
    instance.outstanding++;
    let released = false;
    const release = () => {
      if (!released) {
        released = true;
        instance.outstanding--;
      }
    };
    try {
      const response = await instance.dispatcher.request({
        method: request.method as 'GET',
        path: instance.basePath + request.path,
        headers: request.headers as Record<string, string>,
        body: request.body ?? null,
        signal: request.signal,
        headersTimeout: request.timeoutMs,
        bodyTimeout: request.timeoutMs,
      });
      // 'end' comes before the reader's promise resolves, so the next pick sees the true count; 'close' covers dumps and errors.
      response.body.once('end', release).once('close', release);
      return {
        statusCode: response.statusCode,
        headers: response.headers,
        body: response.body,
        instance: instance.origin,
      };
    } catch (error) {
      release();
      throw toGatewayError(request.signal?.aborted ? (request.signal.reason ?? error) : error, upstream);
    }
  };
}
