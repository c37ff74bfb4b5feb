import type { ExecutionContext, Type } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { RateLimitConfig } from '../config';
import type { LimitWindow } from './rate-limit-store.interface';
import {
  DAY_MS,
  QUOTA_NAME,
  SKIP_ALL_NAME,
  THROTTLER_BLOCK_DURATION,
  THROTTLER_LIMIT,
  THROTTLER_SKIP,
  THROTTLER_TTL,
} from './throttling.constants';

type Handler = ReturnType<ExecutionContext['getHandler']>;
type Resolvable = number | ((context: ExecutionContext) => number | Promise<number>);

/** A kind of caller whose limits come from config: the app's own (users, anonymous) or a partner tier. */
export interface LimitProfile {
  readonly name: string;
  readonly limits: readonly RateLimitConfig[];
  readonly dailyQuota?: number;
}

/** The limits one kind of caller has on one route, ready for one store call. */
export interface RouteLimits {
  /** Limit names (for 429 details, metrics), index-aligned with `windows`. */
  readonly names: readonly string[];
  readonly windows: readonly LimitWindow[];
  /** Key ends after the tracker: `}:burst`, `}:burst@OrdersController.create` (route override), `}:$quota`. */
  readonly keyTails: readonly string[];
  /** `RateLimit-Policy` value, e.g. `20;w=1, 600;w=60`. */
  readonly policy: string;
}

interface Override {
  ttl?: Resolvable;
  limit?: Resolvable;
  block?: Resolvable;
}

/** What a route's decorators say, read once: skips and @Throttle overrides by limit name. */
interface RoutePlan {
  readonly skipAll: boolean;
  /** Some @Throttle value is a function of the request: resolved on every request. */
  readonly dynamic: boolean;
  readonly skipped: ReadonlySet<string>;
  readonly overrides: ReadonlyMap<string, Override>;
  readonly routeId: string;
  /** Static plans: limits by profile name, built on first use. */
  readonly built: Map<string, RouteLimits>;
}

const NO_LIMITS: RouteLimits = { names: [], windows: [], keyTails: [], policy: '' };

/**
 * Works out, once per route, which limits apply to which kind of caller:
 * the profile's named limits (the app's, or the partner tier's), minus those
 * `@SkipThrottle` names, with `@Throttle` values in place of config ones, plus
 * the tier's daily quota. `@SkipThrottle()` with no argument skips everything.
 * A limit a route overrides is counted for that route alone; the others are
 * shared by every route of the app. `@Throttle` names that no profile has
 * become route-only limits (both `ttl` and `limit` needed).
 *
 * @example const limits = resolver.limitsFor(context, 'gold'); // RouteLimits | Promise<RouteLimits> | null
 */
export class RouteLimitsResolver {
  private readonly plans = new WeakMap<Type, WeakMap<Handler, RoutePlan>>();
  private readonly knownNames: ReadonlySet<string>;

  constructor(
    private readonly reflector: Reflector,
    private readonly profiles: ReadonlyMap<string, LimitProfile>,
  ) {
    this.knownNames = new Set([...profiles.values()].flatMap((p) => p.limits.map((l) => l.name)));
  }

  /** `null` when the route is not throttled at all. */
  limitsFor(context: ExecutionContext, profileName: string): RouteLimits | Promise<RouteLimits> | null {
    const plan = this.planFor(context);
    if (plan.skipAll) return null;
    const profile = this.profiles.get(profileName);
    if (!profile) return NO_LIMITS;
    if (plan.dynamic) return this.resolveDynamic(context, plan, profile);
    let limits = plan.built.get(profileName);
    if (!limits) {
      limits = build(profile, plan, plan.overrides as ReadonlyMap<string, { ttl?: number; limit?: number; block?: number }>);
      plan.built.set(profileName, limits);
    }
    return limits;
  }

  private planFor(context: ExecutionContext): RoutePlan {
    const controller = context.getClass();
    const handler = context.getHandler();
    let byHandler = this.plans.get(controller);
    if (!byHandler) {
      byHandler = new WeakMap();
      this.plans.set(controller, byHandler);
    }
    let plan = byHandler.get(handler);
    if (!plan) {
      plan = this.readPlan(handler, controller);
      byHandler.set(handler, plan);
    }
    return plan;
  }

  private readPlan(handler: Handler, controller: Type): RoutePlan {
    const targets: [Handler, Type] = [handler, controller];
    const read = <T>(key: string) => this.reflector.getAllAndOverride<T | undefined>(key, targets);
    const routeOnly = [handler, controller]
      .flatMap((target) => Reflect.getMetadataKeys(target) as unknown[])
      .filter((key): key is string => typeof key === 'string' && key.startsWith(THROTTLER_LIMIT))
      .map((key) => key.slice(THROTTLER_LIMIT.length));
    const names = new Set([...this.knownNames, ...routeOnly, QUOTA_NAME]);

    const skipped = new Set<string>();
    const overrides = new Map<string, Override>();
    let dynamic = false;
    for (const name of names) {
      if (read<boolean>(THROTTLER_SKIP + name) === true) skipped.add(name);
      const override: Override = {
        ttl: read<Resolvable>(THROTTLER_TTL + name),
        limit: read<Resolvable>(THROTTLER_LIMIT + name),
        block: read<Resolvable>(THROTTLER_BLOCK_DURATION + name),
      };
      if (override.ttl === undefined && override.limit === undefined && override.block === undefined) continue;
      overrides.set(name, override);
      dynamic ||= [override.ttl, override.limit, override.block].some((v) => typeof v === 'function');
    }
    return {
      skipAll: read<boolean>(THROTTLER_SKIP + SKIP_ALL_NAME) === true,
      dynamic,
      skipped,
      overrides,
      routeId: `${controller.name}.${handler.name}`,
      built: new Map(),
    };
  }

  private async resolveDynamic(context: ExecutionContext, plan: RoutePlan, profile: LimitProfile): Promise<RouteLimits> {
    const resolved = new Map<string, { ttl?: number; limit?: number; block?: number }>();
    const value = async (v: Resolvable | undefined) => (typeof v === 'function' ? v(context) : v);
    for (const [name, o] of plan.overrides) {
      resolved.set(name, { ttl: await value(o.ttl), limit: await value(o.limit), block: await value(o.block) });
    }
    return build(profile, plan, resolved);
  }
}

function build(
  profile: LimitProfile,
  plan: RoutePlan,
  overrides: ReadonlyMap<string, { ttl?: number; limit?: number; block?: number }>,
): RouteLimits {
  const names: string[] = [];
  const windows: LimitWindow[] = [];
  const keyTails: string[] = [];
  const add = (name: string, window: LimitWindow, keyTail: string) => {
    if (!(Number.isInteger(window.ttlMs) && window.ttlMs >= 1 && Number.isInteger(window.limit) && window.limit >= 1)) {
      throw new Error(`@Throttle on ${plan.routeId}: "${name}" needs whole numbers ttl >= 1 (ms) and limit >= 1`);
    }
    names.push(name);
    windows.push(window);
    keyTails.push(keyTail);
  };

  for (const limit of profile.limits) {
    if (plan.skipped.has(limit.name)) continue;
    const o = overrides.get(limit.name);
    add(
      limit.name,
      { ttlMs: o?.ttl ?? limit.ttlMs, limit: o?.limit ?? limit.limit, sliding: true, blockMs: o?.block ?? limit.blockMs },
      o ? `}:${limit.name}@${plan.routeId}` : `}:${limit.name}`,
    );
  }
  for (const [name, o] of overrides) {
    if (name === QUOTA_NAME || plan.skipped.has(name) || profile.limits.some((l) => l.name === name)) continue;
    if (o.ttl === undefined || o.limit === undefined) continue;
    add(name, { ttlMs: o.ttl, limit: o.limit, sliding: true, blockMs: o.block ?? 0 }, `}:${name}@${plan.routeId}`);
  }
  if (profile.dailyQuota && !plan.skipped.has(QUOTA_NAME)) {
    add(QUOTA_NAME, { ttlMs: DAY_MS, limit: profile.dailyQuota, sliding: false, blockMs: 0 }, '}:$quota');
  }
  const policy = windows.map((w) => `${w.limit};w=${Math.ceil(w.ttlMs / 1000)}`).join(', ');
  return { names, windows, keyTails, policy };
}
