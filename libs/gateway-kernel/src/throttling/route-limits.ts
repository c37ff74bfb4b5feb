import type { RateLimitConfig } from '../config';
import type { LimitWindow } from './rate-limit-store.interface';
import { DAY_MS, QUOTA_NAME } from './throttling.constants';

/** A limit value fixed at start, or one worked out per request from the adapter's own request object. */
export type LimitValue = number | ((subject: unknown) => number | Promise<number>);

/** A route's change to one named limit (`@Throttle({ burst: { limit: 2 } })`); names no profile has are route-only limits. */
export interface LimitOverride {
  readonly ttl?: LimitValue;
  readonly limit?: LimitValue;
  readonly blockDuration?: LimitValue;
}

/**
 * What a route says about throttling, framework-free: the Nest adapter reads it
 * from `@Throttle`/`@SkipThrottle`, a pass-through route from its declaration.
 *
 * @example const declared: ThrottleDeclaration = { skip: ['quota'], overrides: { burst: { limit: 2 } } };
 */
export interface ThrottleDeclaration {
  /** No limit and no quota applies (`@SkipThrottle()`). */
  readonly skipAll?: boolean;
  /** Limit names left out (`@SkipThrottle({ burst: true })`; `quota` for the daily quota). */
  readonly skip?: readonly string[];
  readonly overrides?: Readonly<Record<string, LimitOverride>>;
}

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

interface Resolved {
  ttl?: number;
  limit?: number;
  blockDuration?: number;
}

/** Whether some override is a function of the request (resolved on every request, not at start). */
export function isDynamic(declaration: ThrottleDeclaration | undefined): boolean {
  return Object.values(declaration?.overrides ?? {}).some((o) => [o.ttl, o.limit, o.blockDuration].some((v) => typeof v === 'function'));
}

/** Resolves every override of a dynamic declaration for one request. */
export async function resolveOverrides(declaration: ThrottleDeclaration, subject: unknown): Promise<Record<string, Resolved>> {
  const value = async (v: LimitValue | undefined) => (typeof v === 'function' ? v(subject) : v);
  const out: Record<string, Resolved> = {};
  for (const [name, o] of Object.entries(declaration.overrides ?? {})) {
    out[name] = { ttl: await value(o.ttl), limit: await value(o.limit), blockDuration: await value(o.blockDuration) };
  }
  return out;
}

/**
 * The profile's named limits minus those the route skips, with its overrides
 * in place of config values, plus route-only limits and the tier's daily
 * quota. A limit a route overrides is counted for that route alone; the others
 * are shared by every route of the app.
 *
 * @example buildRouteLimits(profile, 'OrdersController.create', { skip: ['quota'] }, {})
 */
export function buildRouteLimits(
  profile: LimitProfile,
  routeId: string,
  declaration: ThrottleDeclaration,
  overrides: Readonly<Record<string, Resolved>>,
): RouteLimits {
  const skipped = new Set(declaration.skip ?? []);
  const names: string[] = [];
  const windows: LimitWindow[] = [];
  const keyTails: string[] = [];
  const add = (name: string, window: LimitWindow, keyTail: string) => {
    if (!(Number.isInteger(window.ttlMs) && window.ttlMs >= 1 && Number.isInteger(window.limit) && window.limit >= 1)) {
      throw new Error(`@Throttle on ${routeId}: "${name}" needs whole numbers ttl >= 1 (ms) and limit >= 1`);
    }
    names.push(name);
    windows.push(window);
    keyTails.push(keyTail);
  };
  for (const limit of profile.limits) {
    if (skipped.has(limit.name)) continue;
    const o = overrides[limit.name];
    add(
      limit.name,
      { ttlMs: o?.ttl ?? limit.ttlMs, limit: o?.limit ?? limit.limit, sliding: true, blockMs: o?.blockDuration ?? limit.blockMs },
      o ? `}:${limit.name}@${routeId}` : `}:${limit.name}`,
    );
  }
  for (const [name, o] of Object.entries(overrides)) {
    if (name === QUOTA_NAME || skipped.has(name) || profile.limits.some((l) => l.name === name)) continue;
    if (o.ttl === undefined || o.limit === undefined) continue;
    add(name, { ttlMs: o.ttl, limit: o.limit, sliding: true, blockMs: o.blockDuration ?? 0 }, `}:${name}@${routeId}`);
  }
  if (profile.dailyQuota && !skipped.has(QUOTA_NAME)) {
    add(QUOTA_NAME, { ttlMs: DAY_MS, limit: profile.dailyQuota, sliding: false, blockMs: 0 }, '}:$quota');
  }
  const policy = windows.map((w) => `${w.limit};w=${Math.ceil(w.ttlMs / 1000)}`).join(', ');
  return { names, windows, keyTails, policy };
}
