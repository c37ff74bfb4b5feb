export { ResponseCacheStore, type CachedResponse } from './response-cache-store.interface';
export { MemoryResponseCacheStore } from './memory-response-cache.store';
export { RedisResponseCacheStore } from './redis-response-cache.store';
export { ResponseCacheModule } from './response-cache.module';
export { parseCacheControl, type CacheDirectives } from './cache-control';
