import type { ConsumeResult } from './rate-limit-store.interface';
import type { RouteLimits } from './route-limits';

/** Where response headers go: a Fastify reply, or anything with `header(name, value)`. */
export interface HeaderTarget {
  header(name: string, value: string): unknown;
}

/**
 * RateLimit-Limit / -Remaining / -Reset (seconds) for the most restrictive of a
 * request's limits (fewest left; on a tie, the one resetting last), plus
 * RateLimit-Policy listing them all. On a refusal, the refusing limit, with 0
 * left and the reset at the retry time. Returns the seconds to send as Retry-After.
 *
 * @example const retryAfter = writeRateLimitHeaders(reply, limits, result);
 */
export function writeRateLimitHeaders(reply: HeaderTarget, limits: RouteLimits, result: ConsumeResult): number {
  let pick = result.blockedBy;
  let resetMs: number;
  if (pick >= 0) {
    resetMs = Math.max(result.retryAfterMs, 1);
  } else {
    pick = 0;
    for (let i = 1; i < result.remaining.length; i++) {
      const fewer = result.remaining[i] < result.remaining[pick];
      if (fewer || (result.remaining[i] === result.remaining[pick] && result.resetMs[i] > result.resetMs[pick])) pick = i;
    }
    resetMs = result.resetMs[pick];
  }
  const resetSeconds = Math.max(1, Math.ceil(resetMs / 1000));
  reply.header('ratelimit-limit', String(limits.windows[pick].limit));
  reply.header('ratelimit-remaining', String(result.remaining[pick]));
  reply.header('ratelimit-reset', String(resetSeconds));
  reply.header('ratelimit-policy', limits.policy);
  return resetSeconds;
}
