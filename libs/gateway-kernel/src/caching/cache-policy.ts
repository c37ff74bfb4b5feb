import type { UpstreamRequest, UpstreamResponse } from '../pipeline/upstream-call';
import { parseCacheControl } from './cache-control';
import { isPersonal, KEYED_HEADERS } from './resource-key';

/** How long a stored answer is fresh, then how long it may still answer on errors. */
export interface StoragePlan {
  freshMs: number;
  staleMs: number;
}

export interface CacheDefaults {
  /** TTL when the upstream sends no max-age (the upstream's `cacheTtlMs`). */
  ttlMs: number;
  staleIfErrorMs: number;
}

/**
 * Whether and how long to keep an answer. The upstream's Cache-Control wins:
 * `no-store`/`no-cache` keep nothing, `private` is kept only per caller,
 * `max-age` (`s-maxage` for answers shared across callers) sets the
 * lifetime; without it the source's or upstream's TTL applies. Only 200s
 * without cookies whose Vary the key covers are kept.
 *
 * @example storagePlan(response, request, { ttlMs: 0, staleIfErrorMs: 30_000 })
 */
export function storagePlan(response: UpstreamResponse, request: UpstreamRequest, defaults: CacheDefaults): StoragePlan | null {
  if (response.statusCode !== 200) return null;
  const headers = response.headers;
  if (headers['set-cookie'] !== undefined) return null;
  if (headers.vary !== undefined && !varyCovered(headers.vary)) return null;
  const directives = parseCacheControl(headers['cache-control']);
  if (directives.noStore || directives.noCache) return null;
  const personal = isPersonal(request);
  if (directives.private && !personal) return null;
  // Kept for one caller, the gateway acts as that caller's private cache; shared, as a shared one.
  const lifetimeSec = personal ? directives.maxAgeSec : (directives.sMaxAgeSec ?? directives.maxAgeSec);
  const ageMs = (Number(headers.age) || 0) * 1000;
  const freshMs = lifetimeSec !== undefined ? lifetimeSec * 1000 - ageMs : (request.cacheTtlMs ?? defaults.ttlMs);
  if (!(freshMs > 0)) return null;
  const staleMs = directives.mustRevalidate
    ? 0
    : directives.staleIfErrorSec !== undefined
      ? directives.staleIfErrorSec * 1000
      : defaults.staleIfErrorMs;
  return { freshMs, staleMs };
}

function varyCovered(vary: string | string[]): boolean {
  const names = (Array.isArray(vary) ? vary.join(',') : vary).split(',').map((name) => name.trim().toLowerCase());
  return names.every((name) => name === '' || KEYED_HEADERS.has(name));
}
