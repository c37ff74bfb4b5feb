import axios, { AxiosError, type AxiosInstance } from 'axios';
import type { ResponseCacheStore } from '../caching/response-cache-store.interface';
import type { UpstreamConfig } from '../config';
import { axiosUndiciAdapter } from './axios-undici.adapter';
import type { UpstreamInstance, UpstreamRequest, UpstreamResponse } from './upstream-call';
import { statusToGatewayError, toGatewayError } from './upstream-error.mapper';
import { createInstances } from './upstream-instance.factory';
import { buildUpstreamPipeline, type UpstreamPipeline } from './upstream-pipeline.factory';

/**
 * A named upstream: an axios instance for JSON calls and `send` for streaming,
 * both over the same pipeline and pools. Failures arrive as GatewayError.
 *
 * @example const { data } = await registry.get('catalog').http.get('/products/p1');
 */
export class UpstreamClient {
  readonly http: AxiosInstance;
  readonly instances: UpstreamInstance[];
  private readonly pipeline: UpstreamPipeline;

  constructor(
    readonly name: string,
    readonly config: UpstreamConfig,
    cacheStore?: ResponseCacheStore,
  ) {
    this.instances = createInstances(name, config);
    this.pipeline = buildUpstreamPipeline(name, config, this.instances, cacheStore);
    this.http = axios.create({
      adapter: axiosUndiciAdapter(name, this.pipeline.call),
      timeout: config.timeoutMs,
      maxRedirects: 0,
      transitional: { silentJSONParsing: false, forcedJSONParsing: false },
      // The adapter already parsed JSON once; axios must not parse again.
      transformResponse: [(data: unknown) => data],
    });
    this.http.interceptors.response.use(undefined, (error: unknown) =>
      Promise.reject(
        error instanceof AxiosError && error.response
          ? statusToGatewayError(error.response.status, name)
          : toGatewayError(error, name),
      ),
    );
  }

  /** Sends a raw request (streams both ways); the caller consumes the body. */
  send(request: UpstreamRequest): Promise<UpstreamResponse> {
    return this.pipeline.call(request);
  }

  /** Lets calls in flight finish, then closes the pools. */
  async close(): Promise<void> {
    this.pipeline.close();
    await Promise.all(this.instances.map((instance) => instance.dispatcher.close()));
  }
}
