import { LRUCache } from 'lru-cache';
import type { AuthFailureLimitConfig, GatewayConfig } from '../config';
import { ErrorCode, GatewayError } from '../errors';
import type { LimitWindow, RateLimitStore } from './rate-limit-store.interface';
import type { RedisErrorPolicy } from './redis-error.policy';
import { trackerOf } from './request-tracker';
import type { ThrottlingMetrics } from './throttling.metrics';

/** Addresses this replica saw blocked, remembered so their next attempts are refused before any verification. */
const REMEMBERED_BLOCKS = 10_000;
const AUTH_FAILURES_NAME = 'auth-failures';

/**
 * Failed authentication per client address, checked before credentials are:
 * each failure is one store call (the happy path makes none); past the limit
 * the address is refused with 429 for `blockMs`, valid credentials included,
 * so a guess that finally matches is refused too. The address is the one the
 * server trusts (trust-proxy aware), counted by its /64 for IPv6.
 *
 * @example limiter.assertAllowed(request.ip); ... if (failed) throw (await limiter.failed(request.ip)) ?? unauthorized;
 */
export class AuthFailureLimiter {
  private readonly window: readonly LimitWindow[];
  private readonly keyHead: string;
  private readonly blockedUntil = new LRUCache<string, number>({ max: REMEMBERED_BLOCKS });
  private readonly app: string;

  constructor(
    private readonly config: AuthFailureLimitConfig,
    gateway: GatewayConfig,
    private readonly store: RateLimitStore,
    private readonly failures: RedisErrorPolicy,
    private readonly metrics: ThrottlingMetrics,
  ) {
    this.app = gateway.app;
    this.window = [{ ttlMs: config.ttlMs, limit: config.limit, sliding: true, blockMs: config.blockMs }];
    this.keyHead = `${gateway.redis?.keyPrefix ?? ''}rl:${gateway.app}:{`;
  }

  /** Throws 429 when this address is known to be blocked; costs a map lookup. */
  assertAllowed(ip: string | undefined): void {
    // The common case, nothing blocked: no address to normalise.
    if (this.blockedUntil.size === 0) return;
    const tracker = trackerOf(ip);
    const until = this.blockedUntil.get(tracker);
    if (until === undefined) return;
    const left = until - Date.now();
    if (left <= 0) this.blockedUntil.delete(tracker);
    else throw this.refusal(left);
  }

  /** Counts one failed attempt; returns the 429 to answer instead of 401 once the address is over the limit. */
  async failed(ip: string | undefined): Promise<GatewayError | undefined> {
    const tracker = trackerOf(ip);
    let result;
    try {
      result = await this.store.consume([`${this.keyHead}${tracker}}:$auth-failures`], this.window);
    } catch (error) {
      // Fail-open lets the 401 stand; fail-closed throws its 503 here.
      this.failures.onFailure(error);
      return undefined;
    }
    if (result.blockedBy < 0) return undefined;
    this.blockedUntil.set(tracker, Date.now() + result.retryAfterMs);
    return this.refusal(result.retryAfterMs);
  }

  private refusal(waitMs: number): GatewayError {
    this.metrics.rejected(this.app, AUTH_FAILURES_NAME);
    return new GatewayError(ErrorCode.RateLimited, 'too many failed authentication attempts from this address', {
      headers: { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) },
    });
  }
}
