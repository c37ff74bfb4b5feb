import { Logger } from '@nestjs/common';
import type { UpstreamConfig } from '../config';
import { GatewayError } from '../errors';
import { BufferedBody, bufferResponse } from '../pipeline/buffered-body';
import { isLocalFailure } from '../pipeline/local-call.error';
import type { UpstreamCall, UpstreamMiddleware, UpstreamRequest, UpstreamResponse } from '../pipeline/upstream-call';
import { parseCacheControl } from './cache-control';
import { cachingMetrics } from './caching.metrics';
import { storagePlan, type StoragePlan } from './cache-policy';
import { resourceKey } from './resource-key';
import type { CachedResponse, ResponseCacheStore } from './response-cache-store.interface';

/** Headers about the connection or the moment, not the answer. */
const NOT_STORED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date', 'age']);

/** A store that fails (Redis down) is logged at most this often, not per call. */
const STORE_ERROR_LOG_EVERY_MS = 10_000;

/**
 * Answers buffered GETs from the response cache while fresh; stores answers
 * the cache policy allows; when the upstream fails (5xx, timeout, open
 * breaker) answers with a stale entry still inside its stale window. A store
 * failure is a miss, never a failed call.
 *
 * @example responseCacheMiddleware('catalog', config, store)
 */
export function responseCacheMiddleware(upstream: string, config: UpstreamConfig, store: ResponseCacheStore): UpstreamMiddleware {
  const defaults = { ttlMs: config.cacheTtlMs, staleIfErrorMs: config.cache.staleIfErrorMs };
  const maxEntryBytes = config.cache.maxEntryBytes;
  const hits = cachingMetrics.cache.labels({ upstream, result: 'hit' });
  const staleHits = cachingMetrics.cache.labels({ upstream, result: 'stale' });
  const misses = cachingMetrics.cache.labels({ upstream, result: 'miss' });
  const logger = new Logger('ResponseCache');
  let lastLoggedAt = 0;
  const storeFailed = (error: unknown) => {
    if (Date.now() - lastLoggedAt < STORE_ERROR_LOG_EVERY_MS) return;
    lastLoggedAt = Date.now();
    logger.warn(`cache store failed for upstream ${upstream}: ${(error as Error).message}`);
  };

  const lookup = (key: string) => store.get(key).catch((error: unknown) => void storeFailed(error));
  const peek = store.peek?.bind(store);
  const peekSafely = (key: string): CachedResponse | undefined => {
    try {
      return peek?.(key);
    } catch (error) {
      storeFailed(error);
      return undefined;
    }
  };
  const save = (key: string, response: UpstreamResponse, body: Buffer, plan: StoragePlan) => {
    const now = Date.now();
    const entry: CachedResponse = {
      statusCode: response.statusCode,
      headers: storedHeaders(response.headers),
      body,
      storedAt: now,
      freshUntil: now + plan.freshMs,
      staleUntil: now + plan.freshMs + plan.staleMs,
    };
    store.set(key, entry).catch(storeFailed);
  };

  /** Asks the upstream (the entry, if any, is past fresh): stores what may be kept, falls back on the entry while stale. */
  const ask = (next: UpstreamCall, request: UpstreamRequest, key: string, noStore: boolean, entry: CachedResponse | undefined) => {
    return next(request).then(
      (response): UpstreamResponse | Promise<UpstreamResponse> => {
        if (response.statusCode >= 500) {
          const stale = usableStale(entry);
          if (stale) {
            return response.body
              .dump()
              .catch(() => undefined)
              .then(() => {
                staleHits.inc();
                return fromEntry(stale);
              });
          }
        }
        misses.inc();
        const plan = noStore ? null : storagePlan(response, request, defaults);
        if (!plan) return response;
        return bufferResponse(response, upstream).then((buffered) => {
          if (buffered.body.buffer.length <= maxEntryBytes) save(key, response, buffered.body.buffer, plan);
          return buffered;
        });
      },
      (error: unknown) => {
        const stale = usableStale(entry);
        if (!stale || !upstreamFailed(error)) throw error;
        staleHits.inc();
        return fromEntry(stale);
      },
    );
  };

  /** A fresh entry answers; anything else asks the upstream. */
  const answer = (next: UpstreamCall, request: UpstreamRequest, key: string, entry: CachedResponse | undefined) => {
    if (entry && entry.freshUntil > Date.now()) {
      hits.inc();
      return Promise.resolve(fromEntry(entry));
    }
    return ask(next, request, key, false, entry);
  };

  return (next) => (request) => {
    if (request.method !== 'GET' || !request.buffered) return next(request);
    const key = (request.resourceKey ??= resourceKey(upstream, request));
    // The caller's own Cache-Control: no-cache asks the upstream, no-store also keeps nothing.
    const header = request.headers['cache-control'];
    if (header !== undefined) {
      const wish = parseCacheControl(header);
      if (wish.noCache || wish.noStore) return ask(next, request, key, wish.noStore, undefined);
    }
    // A store that holds its entries here answers at once; others (Redis) through a promise.
    if (peek) return answer(next, request, key, peekSafely(key));
    return lookup(key).then((entry) => answer(next, request, key, entry));
  };
}

/** An entry past fresh that may still answer while the upstream fails. */
function usableStale(entry: CachedResponse | undefined): CachedResponse | undefined {
  return entry && entry.staleUntil > Date.now() ? entry : undefined;
}

/** The upstream's failure (not the caller leaving, not a request that never reached it): worth a stale answer. */
function upstreamFailed(error: unknown): boolean {
  return error instanceof GatewayError && !isLocalFailure(error) && error.status >= 500;
}

function fromEntry(entry: CachedResponse): UpstreamResponse {
  const ageSec = Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000));
  return {
    statusCode: entry.statusCode,
    headers: { ...entry.headers, age: String(ageSec) },
    body: new BufferedBody(entry.body),
    instance: 'cache',
  };
}

function storedHeaders(headers: UpstreamResponse['headers']): CachedResponse['headers'] {
  const stored: CachedResponse['headers'] = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined && !NOT_STORED.has(name)) stored[name] = value;
  }
  return stored;
}
