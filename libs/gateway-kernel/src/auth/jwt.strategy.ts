import { PassportStrategy } from '@nestjs/passport';
import type { Algorithm, JwtPayload } from 'jsonwebtoken';
import { Principal } from '../context';
import { JwtConfig } from '../config';
import { JWT_STRATEGY } from './auth.constants';
import { bearerToken, hasBearerScheme } from './bearer-token';
import { AuthRequest, GatewayStrategy } from './gateway-strategy.interface';
import { SecretOrKeyProvider } from './jwks-key-provider';
import { PassportJwtStrategy } from './passport-jwt.shim';
import { VerifiedTokenCache } from './verified-token-cache';

/**
 * Bearer JWTs of the identity service (passport-jwt; jsonwebtoken verifies).
 * Algorithms are pinned from config; `iss`, `aud`, `exp` and `nbf` are checked
 * with `clockToleranceSec`; a token without `exp` or `sub` is refused. A token
 * verified once is answered from the `VerifiedTokenCache` until its `exp`.
 */
export class JwtStrategy extends PassportStrategy(PassportJwtStrategy, JWT_STRATEGY) implements GatewayStrategy {
  readonly mode = 'jwt' as const;
  private readonly challenges: readonly [string, string];
  private readonly keyMaxAgeMs: number;

  constructor(
    jwt: JwtConfig,
    realm: string,
    keyProvider: SecretOrKeyProvider,
    private readonly cache: VerifiedTokenCache,
  ) {
    super({
      jwtFromRequest: bearerToken,
      secretOrKeyProvider: keyProvider,
      issuer: jwt.issuer,
      audience: jwt.audience,
      algorithms: [...jwt.algorithms] as Algorithm[],
      jsonWebTokenOptions: { clockTolerance: jwt.clockToleranceSec },
      passReqToCallback: true,
    });
    this.keyMaxAgeMs = jwt.jwksCacheMaxAgeMs;
    this.challenges = [`Bearer realm="${realm}"`, `Bearer realm="${realm}", error="invalid_token"`];
  }

  /** A cached token short-cuts passport-jwt; anything else goes through full verification. */
  override authenticate(request: AuthRequest, options?: unknown): void {
    const cached = this.known(request);
    if (cached) {
      this.success(cached);
      return;
    }
    super.authenticate(request, options);
  }

  /** Runs only after passport-jwt verified signature and claims: the one place tokens enter the cache. */
  validate(request: AuthRequest, payload: JwtPayload): Principal | null {
    if (typeof payload.sub !== 'string' || payload.sub === '' || typeof payload.exp !== 'number') return null;
    const principal: Principal = Object.freeze({
      kind: 'user' as const,
      id: payload.sub,
      scopes: Object.freeze(typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : []),
      expiresAt: payload.exp * 1000,
    });
    const token = bearerToken(request);
    // The cache keeps this very principal, so a token answered from it carries the same expiresAt.
    // Bounded like the keys: a token of a key removed from the JWKS stops working within the same bound.
    if (token !== undefined) this.cache.set(token, principal, Math.min(payload.exp * 1000, Date.now() + this.keyMaxAgeMs));
    return principal;
  }

  hasCredentials(request: AuthRequest): boolean {
    return hasBearerScheme(request);
  }

  /** A token verified before and not yet expired: its principal, from the verified-token cache. */
  known(request: AuthRequest): Principal | undefined {
    const token = bearerToken(request);
    return token === undefined ? undefined : this.cache.get(token);
  }

  challenge(rejected: boolean): string {
    return this.challenges[rejected ? 1 : 0];
  }

  failureDetail(info: unknown): string {
    const name = (info as { name?: unknown } | undefined)?.name;
    if (name === 'TokenExpiredError') return 'token expired';
    if (name === 'NotBeforeError') return 'token not yet valid';
    return 'invalid token';
  }
}
