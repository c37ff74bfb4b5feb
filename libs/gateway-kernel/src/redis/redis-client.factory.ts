import Redis from 'ioredis';
import type { RedisConfig } from '../config';

/**
 * One Redis connection per process, shared by throttling, caching and
 * idempotency. No offline queue and no per-command retries: when Redis is
 * away a command fails at once and the caller's policy decides, rather than
 * requests waiting on a reconnect.
 */
export function createRedisClient(config: RedisConfig): Redis {
  return new Redis(config.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: config.commandTimeoutMs,
    connectTimeout: Math.max(config.commandTimeoutMs * 5, 500),
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
    lazyConnect: false,
  });
}
