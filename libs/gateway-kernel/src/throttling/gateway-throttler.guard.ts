import { Inject, Injectable, Logger, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import type { Principal } from '../context';
import { ErrorCode, GatewayError } from '../errors';
import { writeRateLimitHeaders } from './rate-limit-headers';
import { RateLimitStore } from './rate-limit-store.interface';
import { RedisErrorPolicy } from './redis-error.policy';
import { principalOf, trackerOf, type TrackedRequest } from './request-tracker';
import { RouteLimitsResolver, type LimitProfile, type RouteLimits } from './route-limits.resolver';
import { THROTTLING_MODULE_OPTIONS, type ThrottlingModuleOptions } from './throttling-module-options.interface';
import { DEFAULT_UNTHROTTLED_PATHS, QUOTA_NAME } from './throttling.constants';
import { ThrottlingMetrics } from './throttling.metrics';

/** Profile of users and anonymous callers: the app's own `throttling.limits` (parentheses: never a tier name). */
const APP_PROFILE = '(app)';

type Request = FastifyRequest & TrackedRequest;

/**
 * The global throttling guard, on @nestjs/throttler's. Where the stock guard
 * makes one storage call per named limit, this one gathers all of a request's
 * limits (the caller's profile, route overrides, the daily quota) and settles
 * them in one store call: one Redis round trip, all counted or none. Runs after
 * the auth guard, so the principal is known: partners are counted by API key
 * (limits of their tier), users by token subject, anonymous callers by client IP.
 */
@Injectable()
export class GatewayThrottlerGuard extends ThrottlerGuard {
  private readonly log = new Logger('Throttling');
  private readonly enabled: boolean;
  private readonly resolver: RouteLimitsResolver;
  /** Keys are `<prefix>rl:<app>:{<tracker>}:<limit>`; the {hash tag} keeps one caller's keys in one Cluster slot. */
  private readonly keyHead: string;
  private readonly unthrottledPaths: readonly string[];
  private readonly partnerDefault: string;
  private readonly tiers: ReadonlySet<string>;
  private readonly unknownTiers = new Set<string>();

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(RateLimitStore) private readonly store: RateLimitStore,
    @Inject(RedisErrorPolicy) private readonly failures: RedisErrorPolicy,
    @Inject(ThrottlingMetrics) private readonly metrics: ThrottlingMetrics,
    @Inject(THROTTLING_MODULE_OPTIONS) moduleOptions: ThrottlingModuleOptions,
  ) {
    super(options, storage, reflector);
    const { throttling, redis } = config;
    this.enabled = throttling.enabled;
    this.keyHead = `${redis?.keyPrefix ?? ''}rl:${config.app}:{`;
    this.unthrottledPaths = moduleOptions.unthrottledPaths ?? DEFAULT_UNTHROTTLED_PATHS;
    this.tiers = new Set(Object.keys(throttling.tiers));
    this.partnerDefault = this.tiers.has(throttling.defaultTier) ? throttling.defaultTier : APP_PROFILE;
    const profiles = new Map<string, LimitProfile>([[APP_PROFILE, { name: APP_PROFILE, limits: throttling.limits }]]);
    for (const [name, tier] of Object.entries(throttling.tiers)) {
      profiles.set(name, { name, limits: tier.limits ?? throttling.limits, dailyQuota: tier.dailyQuota });
    }
    this.resolver = new RouteLimitsResolver(reflector, profiles);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.enabled || context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    if (this.isUnthrottledPath(request.url)) return true;

    const found = this.resolver.limitsFor(context, this.profileOf(principalOf(request)));
    if (!found) return true;
    const limits = found instanceof Promise ? await found : found;
    const n = limits.windows.length;
    if (n === 0) return true;

    const tracker = await this.getTracker(request as unknown as Record<string, unknown>);
    const keys = new Array<string>(n);
    for (let i = 0; i < n; i++) keys[i] = this.keyHead + tracker + limits.keyTails[i];

    let result;
    try {
      result = await this.store.consume(keys, limits.windows);
    } catch (error) {
      return this.failures.onFailure(error);
    }
    this.failures.onSuccess();

    const retryAfter = writeRateLimitHeaders(http.getResponse<FastifyReply>(), limits, result);
    if (result.blockedBy >= 0) this.refuse(limits, result.blockedBy, retryAfter);
    return true;
  }

  /** Who the request is counted against (see `trackerOf`): `key:<id>`, `user:<sub>` or `ip:<address>`. */
  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    return trackerOf(request as TrackedRequest);
  }

  private profileOf(principal: Principal | undefined): string {
    if (principal?.kind !== 'partner') return APP_PROFILE;
    const tier = principal.tier;
    if (tier !== undefined && this.tiers.has(tier)) return tier;
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
      throw new GatewayError(ErrorCode.QuotaExceeded, `daily quota of ${limit} requests used up; it renews at 00:00 UTC`, {
        headers,
      });
    }
    const per = ttlMs % 1000 === 0 ? `${ttlMs / 1000}s` : `${ttlMs}ms`;
    throw new GatewayError(ErrorCode.RateLimited, `rate limit "${name}" of ${limit} requests per ${per} exceeded`, { headers });
  }

  private isUnthrottledPath(url: string): boolean {
    for (const path of this.unthrottledPaths) {
      if (!url.startsWith(path)) continue;
      const next = url.charCodeAt(path.length);
      // end, '/', or '?': /metrics and /metrics/x, never /metricsfoo
      if (Number.isNaN(next) || next === 47 || next === 63) return true;
    }
    return false;
  }
}
