import type { AuthRequest, Authenticator } from '../auth';
import { RequestContextStore, type Principal, type RequestContext } from '../context';
import { ErrorCode, GatewayError } from '../errors';
import type { AuthFailureLimiter, HeaderTarget, RateLimitCaller, RateLimiter } from '../throttling';
import type { RouteDeclaration, RoutePolicy } from './route-policy';

/** The slice of a request the policy reads: headers, and the client address the server trusts. */
export interface PolicyRequest extends AuthRequest {
  ip?: string;
}

/**
 * The request side of the pipeline, framework-free: resolves each route's
 * policy at start and, per request, runs it in order: deadline, failed
 * authentication from this address (429 before any credential is checked),
 * who is calling (401/403), then the limits (429). The caller lands in one home, the request
 * context. The Nest guard and the Fastify hook both call {@link enforce}, so a
 * route behaves the same whichever adapter serves it.
 *
 * @example const policy = requestPolicy.resolve({ id: 'OrdersController.list', paths: ['/api/orders'], auth: { scopes: ['orders:read'] } });
 */
export class RequestPolicy {
  constructor(
    private readonly authenticator: Authenticator,
    /** Absent when the app runs without ThrottlingModule: no route is limited. */
    private readonly limiter?: RateLimiter,
    /** Absent when failed authentication is not limited (throttling off, or `throttling.authFailures.enabled=false`). */
    private readonly authFailures?: AuthFailureLimiter,
  ) {}

  /** At start: a route's declaration resolved against the strategies and the limits. */
  resolve(declared: RouteDeclaration): RoutePolicy {
    return {
      id: declared.id,
      auth: this.authenticator.requirement(declared.auth),
      limits: this.limiter?.plan(declared.id, declared.paths, declared.throttle) ?? null,
      deadlineMs: declared.deadlineMs,
    };
  }

  /**
   * Runs a route's policy for one request; a synchronous `undefined` when it
   * had nothing to wait for. `subject` is the adapter's own request object,
   * handed to limits that are functions of the request.
   */
  enforce(policy: RoutePolicy, request: PolicyRequest, reply: HeaderTarget, subject?: unknown): Promise<void> | undefined {
    const context = RequestContextStore.current();
    if (policy.deadlineMs !== undefined && context) context.deadline = Math.min(context.deadline ?? Infinity, Date.now() + policy.deadlineMs);
    const guard = this.authFailures;
    if (guard && (!policy.auth.public || policy.auth.strategy?.hasCredentials(request))) guard.assertAllowed(request.ip);
    // A credential vouched for at once (a token verified before): with an in-memory limiter the whole policy then runs without a promise.
    const known = this.authenticator.known(policy.auth, request);
    if (known) {
      if (!policy.auth.public) personal(reply);
      return this.limit(policy, attach(context, known), request, reply, subject);
    }
    const authenticated = this.authenticator.authenticate(policy.auth, request);
    if (authenticated === undefined) return this.limit(policy, undefined, request, reply, subject);
    if (!policy.auth.public) personal(reply);
    if (!guard) return authenticated.then((principal) => this.limit(policy, attach(context, principal), request, reply, subject));
    return authenticated.then(
      async (principal) => {
        // Only a presented credential makes a pending authentication: none back means it was refused (a public route ignores that).
        if (!principal) await this.countFailure(guard, request);
        return this.limit(policy, attach(context, principal), request, reply, subject);
      },
      async (error: unknown) => {
        if (error instanceof GatewayError && error.code === ErrorCode.Unauthorized) await this.countFailure(guard, request);
        throw error;
      },
    );
  }

  /**
   * Counts one more request of a caller this route admitted already (a live
   * connection's later messages) against the route's limits: throws 429 past
   * them, as {@link enforce} would. No RateLimit-* headers: there is no response to carry them.
   *
   * @example await requestPolicy.count(policy, { principal, ip: request.ip }, request);
   */
  count(policy: RoutePolicy, caller: RateLimitCaller, subject?: unknown): Promise<void> | undefined {
    if (!policy.limits || !this.limiter) return undefined;
    return this.limiter.check(policy.limits, caller, NO_HEADERS, subject);
  }

  /** One failed attempt from this address; throws the 429 once it is over the limit. */
  private async countFailure(guard: AuthFailureLimiter, request: PolicyRequest): Promise<void> {
    const refusal = await guard.failed(request.ip);
    if (refusal) throw refusal;
  }

  private limit(policy: RoutePolicy, principal: Principal | undefined, request: PolicyRequest, reply: HeaderTarget, subject: unknown) {
    if (!policy.limits || !this.limiter) return undefined;
    return this.limiter.check(policy.limits, { principal, ip: request.ip }, reply, subject);
  }
}

/** Where the headers of a decision without a response go. */
const NO_HEADERS: HeaderTarget = { header: () => undefined };

function attach(context: RequestContext | undefined, principal: Principal | undefined): Principal | undefined {
  if (principal && context) context.principal = principal;
  return principal;
}

/** An answer for one caller is never kept by a browser or a shared cache, unless the route says otherwise (it sets its own). */
function personal(reply: HeaderTarget): void {
  reply.header('cache-control', 'private, no-store');
}
