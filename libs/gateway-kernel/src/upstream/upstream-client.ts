import type { AxiosInstance } from 'axios';
import { Readable } from 'node:stream';
import type { ResponseCacheStore } from '../caching/response-cache-store.interface';
import type { UpstreamConfig } from '../config';
import type { UpstreamInstance, UpstreamRequest, UpstreamResponse } from '../pipeline/upstream-call';
import { parseJsonText, readUpstreamBody } from './upstream-body.reader';
import { BufferedBody } from '../pipeline/buffered-body';
import { DecodedBody } from '../pipeline/decoded-body';
import { statusToGatewayError, toGatewayError } from '../pipeline/upstream-error.mapper';
import { lowerCased, rpcRequest, toUpstreamRequest, type CallConfig, type RpcCallOptions } from './upstream-request.builder';
import { RpcStream } from './rpc-stream';
import { grpcContract, type RpcMethod } from './transports/grpc/grpc-contract';
import { GrpcMessageStream } from './transports/grpc/grpc-message-stream';
import { transportFor } from './transports/transport.registry';
import { createUpstreamAxios } from './upstream-axios';
import { createInstances } from './upstream-instance.factory';
import { buildUpstreamPipeline, isShareable, type UpstreamPipeline } from './upstream-pipeline.factory';

/**
 * A named upstream: an axios instance for JSON calls and `send` for streaming,
 * both over the same pipeline and connections. Failures arrive as GatewayError.
 *
 * @example const { data } = await registry.get('catalog').http.get('/products/p1');
 */
export class UpstreamClient {
  readonly instances: UpstreamInstance[];
  private readonly pipeline: UpstreamPipeline;
  private axios?: AxiosInstance;

  constructor(
    readonly name: string,
    readonly config: UpstreamConfig,
    cacheStore?: ResponseCacheStore,
  ) {
    const transport = transportFor(config.protocol);
    this.instances = createInstances(name, config, transport);
    this.pipeline = buildUpstreamPipeline(name, config, this.instances, transport, cacheStore);
  }

  /** axios over this upstream's pipeline, made on first use (see createUpstreamAxios). */
  get http(): AxiosInstance {
    return (this.axios ??= createUpstreamAxios(this.name, this.config.timeoutMs, this.pipeline.call));
  }

  /**
   * A JSON call straight through the pipeline, the same request the axios
   * instance would send but without axios's per-call config merging and
   * interceptor chain.
   *
   * @example const product = await registry.get('catalog').callJson({ url: '/products/p1' });
   */
  async callJson(config: CallConfig): Promise<unknown> {
    const headers = lowerCased(config.headers);
    headers['accept'] ??= 'application/json';
    const request = toUpstreamRequest(config, headers);
    const data = config.data;
    if (data !== undefined && data !== null && typeof data === 'object' && !Buffer.isBuffer(data) && !(data instanceof Readable)) {
      request.body = JSON.stringify(data);
      headers['content-type'] ??= 'application/json';
    }
    request.timeoutMs = (config.timeout ?? this.config.timeoutMs) || undefined;
    return this.sendJson(request);
  }

  /**
   * A request already built (the aggregator's, compiled with its plan) sent
   * through the pipeline of its kind: the answer's JSON when 2xx, else the
   * GatewayError its status maps to (the upstream's error body is dropped unread).
   *
   * @example const product = await client.sendJson({ method: 'GET', path: '/products/p1', headers: { accept: 'application/json' }, buffered: true, idempotent: true });
   */
  sendJson(request: UpstreamRequest): Promise<unknown> {
    const call = isShareable(request) ? this.pipeline.shareable : this.pipeline.direct;
    return call(request).then(this.readJson, this.failed);
  }

  /**
   * A method of this upstream's gRPC contract, resolved once (plans resolve
   * theirs when compiled); throws for an http upstream or an unknown name.
   *
   * @example const method = registry.get('inventory').rpc('GetAvailability');
   */
  rpc(name: string): RpcMethod {
    if (this.config.protocol !== 'grpc') throw new Error(`upstream ${this.name} speaks ${this.config.protocol}: it has no rpc ${name}`);
    const contract = grpcContract(this.name, this.config);
    const method = contract.byName.get(name);
    if (!method) throw new Error(`upstream ${this.name}: ${name} is not a method of ${contract.service} (it has ${[...contract.byName.keys()].join(', ')})`);
    return method;
  }

  /**
   * A unary gRPC call through the pipeline (deadline, retry if the method is
   * idempotent, balancing, breaker, metrics): the decoded answer, or the
   * GatewayError its status maps to.
   *
   * @example const availability = await registry.get('inventory').callRpc('GetAvailability', { sku: 'p1' });
   */
  callRpc(name: string, message: unknown, options: RpcCallOptions = {}): Promise<unknown> {
    let method: RpcMethod;
    try {
      method = this.rpc(name);
      if (method.responseStream) throw new Error(`upstream ${this.name}: ${name} streams its answer; open it with streamRpc`);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.sendJson(rpcRequest(method, message, options, this.config.timeoutMs));
  }

  /**
   * Opens a server-streaming gRPC call through the same pipeline: resolves
   * once the server answered (its first metadata or message), within the
   * call's timeout, or rejects with the GatewayError its status maps to (a
   * breaker open, retries spent). Then iterate it; `cancel()` or the signal ends it.
   *
   * @example
   * const stream = await registry.get('inventory').streamRpc('WatchAvailability', { skus: ['p1', 'p2'] }, { signal });
   * for await (const availability of stream) publish(availability);
   */
  async streamRpc<T = unknown>(name: string, message: unknown, options: RpcCallOptions = {}): Promise<RpcStream<T>> {
    const method = this.rpc(name);
    if (!method.responseStream) throw new Error(`upstream ${this.name}: ${name} is unary; call it with callRpc`);
    let response: UpstreamResponse;
    try {
      response = await this.pipeline.direct(rpcRequest(method, message, options, this.config.timeoutMs));
    } catch (error) {
      throw toGatewayError(error, this.name);
    }
    const body = response.body;
    if (!(body instanceof GrpcMessageStream)) throw new Error(`upstream ${this.name}: ${name} did not answer with a stream`);
    const signal = options.signal;
    if (signal) {
      const onAbort = () => body.cancel();
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        body.once('close', () => signal.removeEventListener('abort', onAbort));
      }
    }
    return new RpcStream<T>(body, response.headers as Record<string, string>);
  }

  /** Sends a raw request (streams both ways); the caller consumes the body. */
  send(request: UpstreamRequest): Promise<UpstreamResponse> {
    return this.pipeline.call(request);
  }

  // Bound once: a JSON call's reaction allocates no closure of its own.
  private readonly failed = (error: unknown): never => {
    throw toGatewayError(error, this.name);
  };

  private readonly readJson = (response: UpstreamResponse): unknown => {
    if (response.statusCode < 200 || response.statusCode >= 300) {
      return response.body.dump().then(() => {
        throw statusToGatewayError(response.statusCode, this.name);
      });
    }
    // A decoded answer (gRPC) is handed over as it is; a buffered one (coalescing, cache) parsed from its bytes at once.
    if (response.body instanceof DecodedBody) return response.body.value;
    if (response.body instanceof BufferedBody) return parseJsonText(this.name, response.body.buffer.toString('utf8'));
    return readUpstreamBody(this.name, response.body);
  };

  /** Lets calls in flight finish, then closes every instance's connections. */
  async close(): Promise<void> {
    this.pipeline.close();
    await Promise.all(this.instances.map((instance) => instance.transport.close()));
  }
}
