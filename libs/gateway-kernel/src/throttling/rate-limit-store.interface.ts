/** One limit as a store counts it: at most `limit` hits per `ttlMs` window. */
export interface LimitWindow {
  readonly ttlMs: number;
  readonly limit: number;
  /**
   * Sliding: the previous window's hits still count, weighted by how much of it
   * overlaps the last `ttlMs` (no double burst at a window edge). Fixed: windows
   * are aligned to the epoch and reset whole (the daily quota rolls at 00:00 UTC).
   */
  readonly sliding: boolean;
  /** Once refused, keep refusing this long; 0: only until the window allows again. */
  readonly blockMs: number;
}

/** What one `consume` decided, index-aligned with the limits it was given. */
export interface ConsumeResult {
  /** Index of the limit that refused the request (the longest wait), or -1 when admitted. */
  readonly blockedBy: number;
  /** Milliseconds until the request would be admitted; 0 when admitted. */
  readonly retryAfterMs: number;
  /** Hits left in each limit's window after this request. */
  readonly remaining: readonly number[];
  /** Milliseconds until each limit's current window ends. */
  readonly resetMs: readonly number[];
}

/**
 * Where rate-limit counters live (memory or Redis). `consume` checks and counts
 * every limit of a request in one step: all admit and all count, or none counts.
 * A store whose counters are at hand (memory) answers synchronously, so a
 * request it admits waits for nothing; a remote one answers with a promise.
 *
 * @example const result = await store.consume(['gw:rl:web:{u:42}:burst'], [{ ttlMs: 1000, limit: 20, sliding: true, blockMs: 0 }]);
 */
export interface RateLimitStore {
  consume(keys: readonly string[], limits: readonly LimitWindow[]): ConsumeResult | Promise<ConsumeResult>;
}

export const RateLimitStore = Symbol('RateLimitStore');
