import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import type { GatewayConfig } from '../config';
import { createRedisClient } from '../redis';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import type { RateLimitStore } from './rate-limit-store.interface';
import { RedisRateLimitStore } from './redis-rate-limit.store';
import type { ThrottlingModuleOptions } from './throttling-module-options.interface';

/**
 * The default store: Redis (shared by replicas) when `redis.url` is set, on the
 * process's shared client (RedisModule) or, without one, a client of its own;
 * else this process's memory. Says at start which one, and the error policy.
 *
 * @example { provide: RateLimitStore, useFactory: createRateLimitStore, inject: [GATEWAY_CONFIG, THROTTLING_MODULE_OPTIONS, REDIS_CLIENT] }
 */
export function createRateLimitStore(config: GatewayConfig, options: ThrottlingModuleOptions, shared?: Redis): RateLimitStore {
  if (options.store) return options.store;
  const logger = new Logger('Throttling');
  const { redis, throttling } = config;
  if (!throttling.enabled) {
    logger.warn('throttling disabled (throttling.enabled=false): no request is limited');
    return new MemoryRateLimitStore();
  }
  if (!redis) {
    logger.log('rate limits kept in memory, per replica (set REDIS_URL to share them across replicas)');
    return new MemoryRateLimitStore();
  }
  logger.log(
    `rate limits kept in Redis at ${redactRedisUrl(redis.url)} (keys ${redis.keyPrefix}rl:${config.app}:*); ` +
      `on Redis error: ${throttling.onRedisError}, decided within ${redis.commandTimeoutMs}ms`,
  );
  // Stale once the command timeout has passed, with a second of slack for the clocks of this host and Redis.
  const staleAfterMs = redis.commandTimeoutMs + 1_000;
  return shared ? new RedisRateLimitStore(shared, false, staleAfterMs) : new RedisRateLimitStore(createRedisClient(redis), true, staleAfterMs);
}

function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable redis url)';
  }
}
