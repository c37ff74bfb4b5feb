import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RateLimitStore } from './rate-limit-store.interface';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * @nestjs/throttler's one-limit `increment`, answered by a store's `consume`,
 * so either store also serves the stock ThrottlerGuard (seconds, as it expects).
 *
 * @example increment(key, ttl, limit, blockDuration) { return incrementThroughConsume(this, key, ttl, limit, blockDuration); }
 */
export async function incrementThroughConsume(
  store: RateLimitStore,
  key: string,
  ttl: number,
  limit: number,
  blockDuration: number,
): Promise<ThrottlerStorageRecord> {
  const result = await store.consume([key], [{ ttlMs: ttl, limit, sliding: true, blockMs: blockDuration }]);
  const isBlocked = result.blockedBy === 0;
  return {
    totalHits: isBlocked ? limit + 1 : limit - result.remaining[0],
    timeToExpire: Math.ceil(result.resetMs[0] / 1000),
    isBlocked,
    timeToBlockExpire: isBlocked ? Math.ceil(result.retryAfterMs / 1000) : 0,
  };
}
