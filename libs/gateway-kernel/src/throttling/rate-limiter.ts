import { Logger } from '@nestjs/common';
import type { GatewayConfig } from '../config';
import type { Principal } from '../context';
import { ErrorCode, GatewayError } from '../errors';
import { writeRateLimitHeaders, type HeaderTarget } from './rate-limit-headers';
import type { ConsumeResult, RateLimitStore } from './rate-limit-store.interface';
import type { RedisErrorPolicy } from './redis-error.policy';
import { trackerOf } from './request-tracker';
import { buildRouteLimits, isDynamic, resolveOverrides, type LimitProfile, type RouteLimits, type ThrottleDeclaration } from './route-limits';
import { QUOTA_NAME } from './throttling.constants';
import type { ThrottlingMetrics } from './throttling.metrics';

/** Profile of users and anonymous callers: the app's own `throttling.limits` (parentheses: never a tier name). */
const APP_PROFILE = '(app)';

/** One route's limits for every kind of caller, worked out at start. */
export interface RouteLimitPlan {
  readonly routeId: string;
  /** Limits by profile (the app's, or a partner tier's). */
  readonly byProfile: ReadonlyMap<string, RouteLimits>;
  /** Set when some limit is a function of the request: resolved per request from this declaration. */
  readonly dynamic?: ThrottleDeclaration;
}

/** Who a request is counted against. */
export interface RateLimitCaller {
  principal?: Principal;
  /** The client address as the server computed it (trust-proxy aware). */
  ip?: string;
}

/**
 * The framework-free rate limiter: a route's limits are planned once at start
 * ({@link plan}); per request, {@link check} settles every limit and the quota in
 * one store call (one Redis round trip, all counted or none), writes the
 * RateLimit-* headers and throws 429 past a limit. Partners are counted by API
 * key (limits of their tier), users by token subject, anonymous callers by IP.
 *
 * @example const plan = limiter.plan('GET /api/orders', ['/api/orders']); await limiter.check(plan, { principal, ip }, reply);
 */
export class RateLimiter {
  private readonly log = new Logger('Throttling');
  /** Keys are `<prefix>rl:<app>:{<tracker>}:<limit>`; the {hash tag} keeps one caller's keys in one Cluster slot. */
  private readonly keyHead: string;
  private readonly profiles = new Map<string, LimitProfile>();
  private readonly partnerDefault: string;
  private readonly unknownTiers = new Set<string>();

  constructor(
    private readonly config: GatewayConfig,
    private readonly store: RateLimitStore,
    private readonly failures: RedisErrorPolicy,
    private readonly metrics: ThrottlingMetrics,
    private readonly unthrottledPaths: readonly string[],
  ) {
    const { throttling, redis } = config;
    this.keyHead = `${redis?.keyPrefix ?? ''}rl:${config.app}:{`;
    this.profiles.set(APP_PROFILE, { name: APP_PROFILE, limits: throttling.limits });
    for (const [name, tier] of Object.entries(throttling.tiers)) {
      this.profiles.set(name, { name, limits: tier.limits ?? throttling.limits, dailyQuota: tier.dailyQuota });
    }
    this.partnerDefault = this.profiles.has(throttling.defaultTier) && throttling.defaultTier !== APP_PROFILE ? throttling.defaultTier : APP_PROFILE;
  }

  /**
   * A route's limits, at start; `null` when none applies: throttling off,
   * `@SkipThrottle()`, or every path of the route under an unthrottled prefix
   * (`/health`, `/metrics`, `/docs`). A bad `@Throttle` value fails here.
   */
  plan(routeId: string, paths: readonly string[], declaration: ThrottleDeclaration = {}): RouteLimitPlan | null {
    if (!this.config.throttling.enabled || declaration.skipAll) return null;
    if (paths.length > 0 && paths.every((path) => this.isUnthrottledPath(path))) return null;
    if (isDynamic(declaration)) return { routeId, byProfile: new Map(), dynamic: declaration };
    const overrides = declaration.overrides as Record<string, { ttl?: number; limit?: number; blockDuration?: number }> | undefined;
    const byProfile = new Map<string, RouteLimits>();
    for (const [name, profile] of this.profiles) byProfile.set(name, buildRouteLimits(profile, routeId, declaration, overrides ?? {}));
    if ([...byProfile.values()].every((limits) => limits.windows.length === 0)) return null;
    return { routeId, byProfile };
  }

  /** Counts one request; resolves once admitted (headers written), throws 429 (or 503 under fail-closed). */
  check(plan: RouteLimitPlan, caller: RateLimitCaller, reply: HeaderTarget, subject?: unknown): Promise<void> | undefined {
    const profile = this.profileOf(caller.principal);
    if (plan.dynamic) return this.checkDynamic(plan, plan.dynamic, profile, caller, reply, subject);
    const limits = plan.byProfile.get(profile);
    if (!limits || limits.windows.length === 0) return undefined;
    return this.consume(limits, trackerOf(caller.ip, caller.principal), reply);
  }

  private async checkDynamic(
    plan: RouteLimitPlan,
    declaration: ThrottleDeclaration,
    profile: string,
    caller: RateLimitCaller,
    reply: HeaderTarget,
    subject: unknown,
  ): Promise<void> {
    const limits = buildRouteLimits(this.profiles.get(profile)!, plan.routeId, declaration, await resolveOverrides(declaration, subject));
    if (limits.windows.length > 0) await this.consume(limits, trackerOf(caller.ip, caller.principal), reply);
  }

  /** Synchronous with a store that answers synchronously (memory): an admitted request then waits for no promise. */
  private consume(limits: RouteLimits, tracker: string, reply: HeaderTarget): Promise<void> | undefined {
    const n = limits.windows.length;
    const keys = new Array<string>(n);
    for (let i = 0; i < n; i++) keys[i] = this.keyHead + tracker + limits.keyTails[i];
    let answer: ConsumeResult | Promise<ConsumeResult>;
    try {
      answer = this.store.consume(keys, limits.windows);
    } catch (error) {
      this.failures.onFailure(error);
      return undefined;
    }
    if (!isPromise(answer)) return this.settle(limits, answer, reply);
    return answer.then(
      (result) => this.settle(limits, result, reply),
      (error: unknown) => {
        this.failures.onFailure(error);
      },
    );
  }

  /** Headers for the decision, and the 429 when it refused. */
  private settle(limits: RouteLimits, result: ConsumeResult, reply: HeaderTarget): undefined {
    this.failures.onSuccess();
    const retryAfter = writeRateLimitHeaders(reply, limits, result);
    if (result.blockedBy >= 0) this.refuse(limits, result.blockedBy, retryAfter);
    return undefined;
  }

  private profileOf(principal: Principal | undefined): string {
    if (principal?.kind !== 'partner') return APP_PROFILE;
    const tier = principal.tier;
    if (tier !== undefined && tier !== APP_PROFILE && this.profiles.has(tier)) return tier;
    if (!this.unknownTiers.has(String(tier))) {
      this.unknownTiers.add(String(tier));
      this.log.warn(`partner tier "${tier}" is not in throttling.tiers; its keys get the ${this.partnerDefault} limits`);
    }
    return this.partnerDefault;
  }

  private refuse(limits: RouteLimits, index: number, retryAfter: number): never {
    const name = limits.names[index];
    const { limit, ttlMs } = limits.windows[index];
    this.metrics.rejected(this.config.app, name);
    const headers = { 'retry-after': String(retryAfter) };
    if (name === QUOTA_NAME) {
      throw new GatewayError(ErrorCode.QuotaExceeded, `daily quota of ${limit} requests used up; it renews at 00:00 UTC`, { headers });
    }
    const per = ttlMs % 1000 === 0 ? `${ttlMs / 1000}s` : `${ttlMs}ms`;
    throw new GatewayError(ErrorCode.RateLimited, `rate limit "${name}" of ${limit} requests per ${per} exceeded`, { headers });
  }

  /** `/metrics` and `/metrics/x` are under `/metrics`; `/metricsfoo` is not. */
  private isUnthrottledPath(path: string): boolean {
    return this.unthrottledPaths.some((prefix) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`));
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as Promise<T>).then === 'function';
}
