import type { UpstreamRequest } from '../pipeline/upstream-call';

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
  const method = (config.method ?? 'get').toUpperCase();
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

function withParams(url: string, params: unknown): string {
  if (!params || typeof params !== 'object') return url;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  const query = search.toString();
  if (!query) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${query}`;
}
