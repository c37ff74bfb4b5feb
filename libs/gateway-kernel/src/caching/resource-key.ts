import { IDENTITY_HEADERS, type UpstreamRequest } from '../pipeline/upstream-call';

/** Request headers that change an upstream's answer, besides who asks. */
const VARY_HEADERS = ['accept', 'accept-encoding', 'accept-language'] as const;

/** Vary header names the key already covers; a response varying on anything else is not shared. */
export const KEYED_HEADERS: ReadonlySet<string> = new Set([...VARY_HEADERS, ...IDENTITY_HEADERS]);

/**
 * What identifies an upstream answer for coalescing and caching: method,
 * upstream, path with query, the vary headers, and the caller's identity
 * unless the call is marked shared. Header names must be lower case (the
 * axios adapter and the context stage write them so).
 *
 * @example resourceKey('catalog', { method: 'GET', path: '/products/p1', headers: {} })
 */
export function resourceKey(upstream: string, request: UpstreamRequest): string {
  const headers = request.headers;
  let key = `${request.method} ${upstream} ${request.path}`;
  for (const name of VARY_HEADERS) key += `\n${flat(headers[name])}`;
  if (request.shared) return `${key}\n*`;
  for (const name of IDENTITY_HEADERS) key += `\n${flat(headers[name])}`;
  return key;
}

/** True when the key names a caller (so a `private` answer may be kept for that caller only). */
export function isPersonal(request: UpstreamRequest): boolean {
  if (request.shared) return false;
  return request.headers['x-user-id'] !== undefined || request.headers['x-partner-id'] !== undefined;
}

function flat(value: string | string[] | undefined): string {
  return value === undefined ? '' : Array.isArray(value) ? value.join(',') : value;
}
