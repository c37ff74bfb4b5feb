import type { AuthDeclaration, AuthRequirement } from '../auth';
import type { RouteLimitPlan, ThrottleDeclaration } from '../throttling';

/**
 * What one route declares, whichever adapter serves it: read from decorators
 * for controllers, from the route's options for pass-through routes.
 *
 * @example const declared: RouteDeclaration = { id: 'proxy:/api/catalog', paths: ['/api/catalog/*'], auth: { public: true } };
 */
export interface RouteDeclaration {
  /** Names the route in limit keys and start-up errors: `OrdersController.create`, `proxy:/api/catalog`. */
  readonly id: string;
  /** Its path templates (unthrottled prefixes such as `/health` are judged on these). */
  readonly paths: readonly string[];
  readonly auth: AuthDeclaration;
  readonly throttle?: ThrottleDeclaration;
  /** The route's whole budget for upstream calls; default `http.defaultDeadlineMs`. */
  readonly deadlineMs?: number;
}

/** A route's policy, resolved once at start: who may call it, its limits, its deadline. */
export interface RoutePolicy {
  readonly id: string;
  readonly auth: AuthRequirement;
  /** `null` when no limit applies: nothing is counted and no store is called. */
  readonly limits: RouteLimitPlan | null;
  readonly deadlineMs?: number;
}
