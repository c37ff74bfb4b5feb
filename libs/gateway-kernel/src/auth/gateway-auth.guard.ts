import { CanActivate, ExecutionContext, Inject, Injectable, Logger, Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Principal, RequestContextStore } from '../context';
import { ErrorCode, GatewayError } from '../errors';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';
import { AUTH_MODE_KEY, IS_PUBLIC_KEY, REQUIRED_SCOPES_KEY } from './auth.constants';
import { AuthModeName } from './auth-module-options.interface';
import { ApiKeyStrategy } from './api-key.strategy';
import { AuthRequest, GatewayStrategy } from './gateway-strategy.interface';
import { JwtStrategy } from './jwt.strategy';
import { runStrategy } from './run-strategy';

type Handler = ReturnType<ExecutionContext['getHandler']>;

/** What one route asks of its callers; worked out on its first request, then reused. */
interface RoutePolicy {
  isPublic: boolean;
  mode: AuthModeName;
  strategy?: GatewayStrategy;
  scopes: readonly string[];
}

/**
 * The global guard: authenticates every route with the app's `auth.mode` unless
 * it is `@Public()`, attaches the principal (request and request context) and
 * enforces `@Scopes`. Failures are `GatewayError`s (401 with `WWW-Authenticate`,
 * or 403) for the problem+json filter to render.
 */
@Injectable()
export class GatewayAuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');
  private readonly strategies: Partial<Record<AuthModeName, GatewayStrategy>>;
  // Metadata never changes after start, so each route reads the Reflector once.
  // Keyed by controller then handler: an inherited handler may sit under
  // controllers with different class-level decorators.
  private readonly policies = new WeakMap<Type, WeakMap<Handler, RoutePolicy>>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(JwtStrategy) jwt: JwtStrategy | null,
    @Inject(ApiKeyStrategy) apiKey: ApiKeyStrategy | null,
  ) {
    this.strategies = { jwt: jwt ?? undefined, 'api-key': apiKey ?? undefined };
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const policy = this.policyFor(context);
    if (context.getType() !== 'http') return policy.isPublic;
    const request = context.switchToHttp().getRequest<AuthRequest>();
    const strategy = policy.strategy;

    if (policy.isPublic) {
      // Optional authentication: a valid credential still identifies the caller;
      // an invalid one is ignored, never an error on a public route.
      if (strategy?.hasCredentials(request)) {
        const { principal } = await runStrategy(strategy, request);
        if (principal) this.attach(request, principal);
      }
      return true;
    }

    if (!strategy) {
      // Fail closed: a route asked for a credential kind this app has no configuration for.
      throw new GatewayError(ErrorCode.Internal, undefined, {
        cause: new Error(`auth mode "${policy.mode}" is used by a route but not configured`),
      });
    }
    if (!strategy.hasCredentials(request)) throw this.unauthorized(strategy, 'missing credentials', false);

    const outcome = await runStrategy(strategy, request);
    const principal = outcome.principal;
    if (!principal) {
      if (outcome.error) this.logger.warn(`authentication error: ${describe(outcome.error)}`);
      throw this.unauthorized(strategy, strategy.failureDetail(outcome.info ?? outcome.error), true);
    }
    this.attach(request, principal);

    if (policy.scopes.length > 0) {
      const missing = policy.scopes.filter((scope) => !principal.scopes.includes(scope));
      if (missing.length > 0) throw new GatewayError(ErrorCode.Forbidden, `missing scope ${missing.join(' ')}`);
    }
    return true;
  }

  /** Extension point: where the principal goes (the request, and the request context when one is running). */
  protected attach(request: AuthRequest, principal: Principal): void {
    request.principal = principal;
    const context = RequestContextStore.current();
    if (context) context.principal = principal;
  }

  private unauthorized(strategy: GatewayStrategy, detail: string, rejected: boolean): GatewayError {
    return new GatewayError(ErrorCode.Unauthorized, detail, {
      headers: { 'WWW-Authenticate': strategy.challenge(rejected) },
    });
  }

  private policyFor(context: ExecutionContext): RoutePolicy {
    const controller = context.getClass();
    const handler = context.getHandler();
    let byHandler = this.policies.get(controller);
    if (!byHandler) {
      byHandler = new WeakMap();
      this.policies.set(controller, byHandler);
    }
    let policy = byHandler.get(handler);
    if (!policy) {
      policy = this.readPolicy([handler, controller]);
      byHandler.set(handler, policy);
    }
    return policy;
  }

  private readPolicy(targets: [Handler, Type]): RoutePolicy {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) ?? false;
    const mode = this.reflector.getAllAndOverride<AuthModeName | undefined>(AUTH_MODE_KEY, targets) ?? this.config.auth.mode;
    const scopes = this.reflector.getAllAndMerge<string[]>(REQUIRED_SCOPES_KEY, targets) ?? [];
    return { isPublic, mode, strategy: this.strategies[mode], scopes: [...new Set(scopes)] };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
