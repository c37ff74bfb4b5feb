import { Readable } from 'node:stream';
import type { CancelSignal } from '../context';
import type { UpstreamClient, UpstreamRegistry, UpstreamRequest } from '../upstream';
import { isIdempotent, rpcRequest, withParams, type CallConfig } from '../upstream/upstream-request.builder';
import type { RpcMethod } from '../upstream';
import type { AggregationPlan, SourceSpec } from './aggregation-plan';

type AnySpec = SourceSpec<unknown, Record<string, unknown>, unknown>;

/** One source of a compiled plan: its upstream's client resolved, its place in the graph, its hints. */
export interface CompiledSource {
  name: string;
  spec: AnySpec;
  client: UpstreamClient;
  /** The gRPC method a source of a gRPC upstream calls, resolved when the plan is compiled. */
  rpc: RpcMethod | undefined;
  required: boolean;
  /** Indices of the sources it waits for. */
  dependsOn: number[];
  /** Indices of the sources waiting for it. */
  dependents: number[];
  /** What the source's `shared` and `cacheTtlMs` say, unless a call's own `gateway` hints say otherwise. */
  shared: boolean | undefined;
  cacheTtlMs: number | undefined;
}

/**
 * A plan as the aggregator runs it: made once per plan, on its first run
 * (plans are built at module load, before the registry exists), with every
 * source's client resolved and its dependencies as indices, so a run does
 * no lookups by name.
 *
 * @example const compiled = compilePlan(productPagePlan, registry);
 */
export interface CompiledPlan {
  name: string;
  deadlineMs: number;
  /** In the plan's order, which is a dependency order. */
  sources: CompiledSource[];
  /** The plan's sources count when compiled: a plan given sources after that is compiled again. */
  size: number;
}

/**
 * Compiles a plan against the registry; an unknown upstream name, or a
 * source whose `rpc` does not fit its upstream (missing for a gRPC one,
 * given for an HTTP one, unknown, or a stream), throws here, on the plan's first run.
 *
 * @example const compiled = compilePlan(plan, registry);
 */
export function compilePlan(plan: AggregationPlan<unknown, Record<string, unknown>>, registry: UpstreamRegistry): CompiledPlan {
  const index = new Map(plan.sources.map((source, i) => [source.name, i]));
  const sources = plan.sources.map(({ name, spec }): CompiledSource => {
    const client = registry.get(spec.upstream);
    return {
      name,
      spec,
      client,
      rpc: sourceRpc(plan.name, name, spec, client),
      required: spec.required,
      // AggregationPlan.add refuses a dependency not added before it, so every name is in the index.
      dependsOn: (spec.dependsOn ?? []).flatMap((dependency) => index.get(dependency) ?? []),
      dependents: [],
      shared: spec.shared,
      cacheTtlMs: spec.cacheTtlMs,
    };
  });
  sources.forEach((source, i) => source.dependsOn.forEach((dependency) => sources[dependency].dependents.push(i)));
  return { name: plan.name, deadlineMs: plan.options.deadlineMs, sources, size: plan.sources.length };
}

function sourceRpc(plan: string, source: string, spec: AnySpec, client: UpstreamClient): RpcMethod | undefined {
  const grpc = client.config.protocol === 'grpc';
  if (spec.rpc === undefined && !grpc) return undefined;
  if (spec.rpc === undefined) throw new Error(`plan ${plan}: "${source}" calls gRPC upstream ${client.name}: name its rpc`);
  let method: RpcMethod;
  try {
    method = client.rpc(spec.rpc);
  } catch (error) {
    throw new Error(`plan ${plan}: "${source}": ${(error as Error).message}`, { cause: error });
  }
  if (method.responseStream) throw new Error(`plan ${plan}: "${source}": ${spec.rpc} streams its answer; a plan takes unary calls`);
  return method;
}

/**
 * The UpstreamRequest of one source's call, built in one step from what its
 * `request` returned: the same request `UpstreamClient.callJson` would send
 * (lower-case headers, JSON body, the source's hints), without a config
 * merged per call. A gRPC source's: its method, `data` as the message.
 *
 * @example const request = sourceRequest(source, { url: '/products/p1' }, 700, signal);
 */
export function sourceRequest(source: CompiledSource, config: CallConfig, timeoutMs: number, signal: CancelSignal): UpstreamRequest {
  if (source.rpc) return rpcRequest(source.rpc, config.data ?? {}, { headers: config.headers, timeoutMs, signal }, timeoutMs);
  const method = config.method === undefined ? 'GET' : config.method.toUpperCase();
  const headers: Record<string, string> = {};
  const own = config.headers;
  for (const name in own) headers[name.toLowerCase()] = own[name];
  headers['accept'] ??= 'application/json';
  let body = config.data as UpstreamRequest['body'];
  if (body !== undefined && body !== null && typeof body === 'object' && !Buffer.isBuffer(body) && !(body instanceof Readable)) {
    body = JSON.stringify(body);
    headers['content-type'] ??= 'application/json';
  }
  const hints = config.gateway;
  return {
    method,
    path: withParams(config.url ?? '/', config.params),
    headers,
    body,
    timeoutMs: timeoutMs || undefined,
    signal,
    idempotent: isIdempotent(method, headers),
    buffered: true,
    shared: hints?.shared ?? source.shared,
    cacheTtlMs: hints?.cacheTtlMs ?? source.cacheTtlMs,
  };
}
