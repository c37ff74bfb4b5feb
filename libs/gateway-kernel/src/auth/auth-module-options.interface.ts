import type { AuthConfig } from '../config';
import type { CredentialStrategyFactory } from './credential-strategies';

/** The credential a route takes: a user bearer JWT or a partner API key. */
export type AuthModeName = AuthConfig['mode'];

/**
 * Knobs of `AuthModule.forRoot` that the gateway config does not carry.
 *
 * @example AuthModule.forRoot({ jwksTimeoutMs: 1_000 })
 */
export interface AuthModuleOptions {
  /** Whole JWKS fetch deadline (default `DEFAULT_JWKS_TIMEOUT_MS`). */
  jwksTimeoutMs?: number;
  /** Most verified tokens remembered (default `DEFAULT_TOKEN_CACHE_SIZE`). */
  tokenCacheSize?: number;
  /** More credential kinds, after the kernel's own (`CREDENTIAL_STRATEGIES`). */
  strategies?: readonly CredentialStrategyFactory[];
}
