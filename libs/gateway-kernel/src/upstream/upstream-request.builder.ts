import type { CancelSignal } from '../context';
import type { UpstreamRequest } from '../pipeline/upstream-call';
import type { RpcMethod } from './transports/grpc/grpc-contract';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * Whether a request may be sent twice: an idempotent method, or any method
 * carrying an Idempotency-Key (headers by lower-case name).
 *
 * @example isIdempotent('POST', { 'idempotency-key': 'k-1' }) // true
 */
export function isIdempotent(method: string, headers: Record<string, string | string[] | undefined>): boolean {
  return IDEMPOTENT.has(method) || headers['idempotency-key'] !== undefined;
}

/**
 * What a caller may tell the upstream path about one call.
 *
 * @example await client.http.get('/categories', { gateway: { shared: true, cacheTtlMs: 60_000 } })
 */
export interface UpstreamCallHints {
  /** Every caller gets the same answer: caching and coalescing ignore who asks. */
  shared?: boolean;
  /** Cache TTL when the upstream sends no Cache-Control. */
  cacheTtlMs?: number;
}

/**
 * The parts of an axios request config the gateway reads (what aggregation sources return).
 *
 * @example request: ({ input }) => ({ url: `/products/${input.id}`, params: { fields: 'name,price' } })
 */
export interface CallConfig {
  method?: string;
  url?: string;
  params?: unknown;
  data?: unknown;
  headers?: Record<string, string>;
  timeout?: number;
  signal?: AbortSignal;
  gateway?: UpstreamCallHints;
}

/**
 * One UpstreamRequest from an axios-style config, shared by the axios adapter
 * and the aggregator's direct path so both send exactly the same thing.
 *
 * @example toUpstreamRequest({ url: '/products', params: { ids: 'p1,p2' } }, {})
 */
export function toUpstreamRequest(config: CallConfig, headers: Record<string, string>, buffered = true): UpstreamRequest {
  const method = config.method === undefined ? 'GET' : config.method.toUpperCase();
  return {
    method,
    path: withParams(config.url ?? '/', config.params),
    headers,
    body: config.data as UpstreamRequest['body'],
    timeoutMs: config.timeout || undefined,
    signal: config.signal,
    idempotent: isIdempotent(method, headers),
    buffered,
    shared: config.gateway?.shared,
    cacheTtlMs: config.gateway?.cacheTtlMs,
  };
}

/**
 * Stages look headers up by lower-case name (resource keys, Cache-Control, identity).
 *
 * @example lowerCased({ Accept: 'application/json' }) // { accept: 'application/json' }
 */
export function lowerCased(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) out[name.toLowerCase()] = headers[name];
  return out;
}

/**
 * The url with `params` as its query, encoded as URLSearchParams would
 * (application/x-www-form-urlencoded: a space is `+`), without making one.
 *
 * @example withParams('/reviews', { productId: 'p1', limit: 10 }) // '/reviews?productId=p1&limit=10'
 */
export function withParams(url: string, params: unknown): string {
  if (!params || typeof params !== 'object') return url;
  let query = '';
  for (const key of Object.keys(params)) {
    const value = (params as Record<string, unknown>)[key];
    if (value === undefined || value === null) continue;
    const name = formEncoded(key);
    if (Array.isArray(value)) {
      for (const item of value) query += `${query ? '&' : ''}${name}=${formEncoded(String(item))}`;
    } else {
      query += `${query ? '&' : ''}${name}=${formEncoded(String(value))}`;
    }
  }
  if (!query) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}

/** What application/x-www-form-urlencoded leaves as it is. */
const FORM_SAFE = /^[A-Za-z0-9*\-._]*$/;

/** One name or value as URLSearchParams writes it: encodeURIComponent, then the few characters it leaves that forms encode. */
function formEncoded(text: string): string {
  if (FORM_SAFE.test(text)) return text;
  let encoded: string;
  try {
    encoded = encodeURIComponent(text);
  } catch {
    // A lone surrogate: URLSearchParams writes U+FFFD for it, where encodeURIComponent throws.
    return new URLSearchParams([['', text]]).toString().slice(1);
  }
  return encoded.replace(/%20|[!'()~]/g, (match) => (match === '%20' ? '+' : `%${match.charCodeAt(0).toString(16).toUpperCase()}`));
}

/**
 * What a caller may say about one gRPC call besides its message.
 *
 * @example await client.callRpc('GetAvailability', { sku: 'p1' }, { timeoutMs: 300 })
 */
export interface RpcCallOptions {
  /** Extra metadata (lower-case names); the context stage adds request id, trace and caller. */
  headers?: Record<string, string>;
  /** This call's ceiling (a stream's: to open), inside the route's deadline; default the upstream's timeoutMs. */
  timeoutMs?: number;
  /** Cancels the call (a stream: also once open). */
  signal?: AbortSignal;
}

/**
 * The UpstreamRequest of one gRPC call: POSTed on the method's path, the
 * message for the transport to encode, retried only when the contract says
 * the method is idempotent, buffered unless the server streams.
 *
 * @example rpcRequest(client.rpc('GetAvailability'), { sku: 'p1' }, {}, 3_000)
 */
export function rpcRequest(
  method: RpcMethod,
  message: unknown,
  options: { headers?: Record<string, string>; timeoutMs?: number; signal?: CancelSignal },
  timeoutMs: number,
): UpstreamRequest {
  return {
    method: 'POST',
    path: method.path,
    headers: lowerCased(options.headers),
    message,
    timeoutMs: (options.timeoutMs ?? timeoutMs) || undefined,
    signal: options.signal,
    idempotent: method.idempotent,
    buffered: !method.responseStream,
  };
}
