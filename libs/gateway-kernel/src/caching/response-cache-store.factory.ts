import type Redis from 'ioredis';
import type { GatewayConfig } from '../config';
import { MemoryResponseCacheStore } from './memory-response-cache.store';
import { RedisResponseCacheStore } from './redis-response-cache.store';
import type { CachedResponse, ResponseCacheStore } from './response-cache-store.interface';

/**
 * The store `cache.store` asks for: Redis (the shared REDIS_CLIENT) when set
 * to `redis`, or `auto` with `redis.url`; memory otherwise (nothing at all
 * when `cache.maxBytes` is 0).
 *
 * @example { provide: ResponseCacheStore, inject: [GATEWAY_CONFIG, REDIS_CLIENT], useFactory: createResponseCacheStore }
 */
export function createResponseCacheStore(config: GatewayConfig, redis?: Redis): ResponseCacheStore {
  const { store, maxBytes } = config.cache;
  if (store === 'redis' && !redis) throw new Error('cache.store: "redis" needs redis.url (REDIS_URL)');
  if (redis && store !== 'memory') {
    return new RedisResponseCacheStore(redis, `${config.redis?.keyPrefix ?? 'gw:'}cache:${config.app}:`);
  }
  return maxBytes > 0 ? new MemoryResponseCacheStore(maxBytes) : NO_STORE;
}

/** Keeps nothing: every lookup misses. */
const NO_STORE: ResponseCacheStore = {
  get: async (): Promise<CachedResponse | undefined> => undefined,
  peek: (): CachedResponse | undefined => undefined,
  set: async (): Promise<void> => undefined,
};
