import { Pool } from 'undici';
import type { UpstreamConfig } from '../../config';
import type { InstanceTransport, UpstreamCall } from '../../pipeline/upstream-call';
import { toGatewayError } from '../../pipeline/upstream-error.mapper';
import { DEADLINE_HEADER } from '../deadline.middleware';
import type { UpstreamTransport } from './upstream-transport';

/**
 * One instance's keep-alive undici pool, made at start. Size and time bounds
 * are the pool's: no response larger than `maxResponseBytes`, no connect
 * slower than `connectTimeoutMs`.
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
 * take, and maps transport failures to 502/504 (or to the abort's own reason).
 *
 * @example transportFor('http') // registered in transport.registry
 */
export const httpTransport: UpstreamTransport<HttpConnections> = {
  connect: (origin, config) => new HttpConnections(origin, config),
  lastStage: (upstream) => httpCall(upstream),
};

function httpCall(upstream: string): UpstreamCall {
  return async (request) => {
    const instance = request.instance;
    if (!instance) throw new Error(`no instance chosen for upstream ${upstream}`);
    const connections = instance.transport;
    if (!(connections instanceof HttpConnections)) throw new Error(`upstream ${upstream}: instance ${instance.host} was not connected over http`);
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
      const response = await connections.pool.request({
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
