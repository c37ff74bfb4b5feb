import { Logger } from '@nestjs/common';
import type { Principal } from '../context';
import { ErrorCode, GatewayError } from '../errors';
import type { AuthModeName } from './auth-module-options.interface';
import type { AuthRequest, GatewayStrategy } from './gateway-strategy.interface';
import { runStrategy } from './run-strategy';

/** What a route asks of its callers, as declared (decorators, or a pass-through route's options). */
export interface AuthDeclaration {
  /** No credential needed; one presented anyway still identifies the caller when valid. */
  readonly public?: boolean;
  /** The credential kind; default: the app's `auth.mode`. */
  readonly credential?: AuthModeName;
  /** Every one is required (403 otherwise). */
  readonly scopes?: readonly string[];
}

/** What a route asks of its callers, resolved at start against the registered strategies. */
export interface AuthRequirement {
  readonly public: boolean;
  readonly credential: AuthModeName;
  /** Absent when no strategy of that kind is configured: a non-public route then fails closed. */
  readonly strategy?: GatewayStrategy;
  readonly scopes: readonly string[];
}

/**
 * The framework-free authenticator: a registry of credential strategies (one
 * per kind: JWT, API key, ...). A route's requirement is resolved once at
 * start; per request, {@link authenticate} returns the caller or throws 401
 * (with `WWW-Authenticate`) or 403. Adding a kind is one strategy file and one
 * entry in `CREDENTIAL_STRATEGIES`; nothing here changes.
 *
 * @example const principal = await authenticator.authenticate(authenticator.requirement({ scopes: ['orders:read'] }), request);
 */
export class Authenticator {
  private readonly logger = new Logger('Auth');
  private readonly strategies = new Map<AuthModeName, GatewayStrategy>();

  constructor(
    strategies: readonly GatewayStrategy[],
    private readonly defaultCredential: AuthModeName,
  ) {
    for (const strategy of strategies) {
      if (this.strategies.has(strategy.mode)) throw new Error(`auth: two strategies for credential kind "${strategy.mode}"`);
      this.strategies.set(strategy.mode, strategy);
    }
  }

  /** Credential kinds this app can check. */
  kinds(): AuthModeName[] {
    return [...this.strategies.keys()];
  }

  /** At start: a route's declaration resolved to its strategy. */
  requirement(declared: AuthDeclaration = {}): AuthRequirement {
    const credential = declared.credential ?? this.defaultCredential;
    return {
      public: declared.public ?? false,
      credential,
      strategy: this.strategies.get(credential),
      scopes: [...new Set(declared.scopes ?? [])],
    };
  }

  /**
   * The caller of one request when its strategy vouches for the credential at
   * once (see `GatewayStrategy.known`), with no attempt and nothing to wait
   * for; throws 403 when a non-public route's scopes are missing. `undefined`:
   * ask {@link authenticate}, which decides everything else, failures included.
   *
   * @example const principal = authenticator.known(requirement, request) ?? (await authenticator.authenticate(requirement, request));
   */
  known(requirement: AuthRequirement, request: AuthRequest): Principal | undefined {
    const principal = requirement.strategy?.known?.(request);
    if (principal && !requirement.public) assertScopes(requirement, principal);
    return principal;
  }

  /**
   * The caller of one request, or `undefined` on a public route called without
   * valid credentials; a synchronous `undefined` when there was nothing to check.
   */
  authenticate(requirement: AuthRequirement, request: AuthRequest): Promise<Principal | undefined> | undefined {
    const strategy = requirement.strategy;
    if (requirement.public) {
      // Optional authentication: a valid credential still identifies the caller;
      // an invalid one is ignored, never an error on a public route.
      if (!strategy?.hasCredentials(request)) return undefined;
      return runStrategy(strategy, request).then((outcome) => outcome.principal);
    }
    if (!strategy) {
      // Fail closed: a route asked for a credential kind this app has no configuration for.
      throw new GatewayError(ErrorCode.Internal, undefined, {
        cause: new Error(`auth mode "${requirement.credential}" is used by a route but not configured`),
      });
    }
    if (!strategy.hasCredentials(request)) throw unauthorized(strategy, 'missing credentials', false);
    return runStrategy(strategy, request).then((outcome) => {
      const principal = outcome.principal;
      if (!principal) {
        if (outcome.error) this.logger.warn(`authentication error: ${describe(outcome.error)}`);
        throw unauthorized(strategy, strategy.failureDetail(outcome.info ?? outcome.error), true);
      }
      assertScopes(requirement, principal);
      return principal;
    });
  }
}

function assertScopes(requirement: AuthRequirement, principal: Principal): void {
  if (requirement.scopes.length === 0) return;
  const missing = requirement.scopes.filter((scope) => !principal.scopes.includes(scope));
  if (missing.length > 0) throw new GatewayError(ErrorCode.Forbidden, `missing scope ${missing.join(' ')}`);
}

function unauthorized(strategy: GatewayStrategy, detail: string, rejected: boolean): GatewayError {
  return new GatewayError(ErrorCode.Unauthorized, detail, { headers: { 'WWW-Authenticate': strategy.challenge(rejected) } });
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
