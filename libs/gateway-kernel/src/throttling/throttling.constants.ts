/**
 * @nestjs/throttler's metadata keys (its constants file is not exported). The
 * route decorators @Throttle and @SkipThrottle write them; a spec checks they
 * still match, so an upgrade that renames them fails loudly.
 */
export const THROTTLER_LIMIT = 'THROTTLER:LIMIT';
export const THROTTLER_TTL = 'THROTTLER:TTL';
export const THROTTLER_BLOCK_DURATION = 'THROTTLER:BLOCK_DURATION';
export const THROTTLER_SKIP = 'THROTTLER:SKIP';

/** `@SkipThrottle()` with no argument marks this name; the gateway reads it as "skip every limit and the quota". */
export const SKIP_ALL_NAME = 'default';

/** The daily quota's name, for `@SkipThrottle({ quota: true })`, metrics and logs. */
export const QUOTA_NAME = 'quota';

/** A UTC day: epoch-aligned windows of this length roll over at 00:00 UTC. */
export const DAY_MS = 86_400_000;

/** Requests under these paths are never throttled, whatever their handler says. */
export const DEFAULT_UNTHROTTLED_PATHS = ['/health', '/metrics', '/docs'];

/** Redis failures are logged at most once per this interval (with a count of the ones in between). */
export const DEFAULT_FAILURE_LOG_INTERVAL_MS = 10_000;
