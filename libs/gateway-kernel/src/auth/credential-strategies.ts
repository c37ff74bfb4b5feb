import { Logger } from '@nestjs/common';
import type { GatewayConfig } from '../config';
import { ApiKeyStrategy } from './api-key.strategy';
import type { LiveApiKeys } from './api-keys/api-key-table';
import { DEFAULT_JWKS_TIMEOUT_MS, DEFAULT_TOKEN_CACHE_SIZE } from './auth.constants';
import type { AuthModuleOptions } from './auth-module-options.interface';
import type { GatewayStrategy } from './gateway-strategy.interface';
import { JwksFetcher } from './jwks-fetcher';
import { createJwksKeyProvider } from './jwks-key-provider';
import { JwtStrategy } from './jwt.strategy';
import { VerifiedTokenCache } from './verified-token-cache';

/**
 * Builds one credential strategy from the app's config at start, or `null`
 * when the config does not ask for that kind.
 *
 * @example const hmac: CredentialStrategyFactory = (config) => (config.auth.hmac ? new HmacStrategy(config.auth.hmac) : null);
 */
export type CredentialStrategyFactory = (config: GatewayConfig, options: AuthModuleOptions, context: CredentialContext) => GatewayStrategy | null;

/** What the auth module holds for strategies beyond the config: the partner keys in force. */
export interface CredentialContext {
  apiKeys: LiveApiKeys;
}

/** Bearer JWTs when `auth.jwt` is set (required when `auth.mode` is `jwt`). */
export const jwtCredential: CredentialStrategyFactory = (config, options) => {
  const jwt = config.auth.jwt;
  if (!jwt) {
    if (config.auth.mode === 'jwt') throw new Error('auth.jwt: required when auth.mode is "jwt"');
    return null;
  }
  const fetcher = new JwksFetcher(jwt.jwksUrl, {
    timeoutMs: options.jwksTimeoutMs ?? DEFAULT_JWKS_TIMEOUT_MS,
    cooldownMs: jwt.jwksCooldownMs,
  });
  const cache = new VerifiedTokenCache(options.tokenCacheSize ?? DEFAULT_TOKEN_CACHE_SIZE);
  return new JwtStrategy(jwt, config.app, createJwksKeyProvider(jwt, fetcher), cache);
};

/** Hashed partner API keys when `auth.mode` is `api-key`, keys are listed, or they come from a file or Redis. */
export const apiKeyCredential: CredentialStrategyFactory = (config, _options, context) => {
  const { mode, apiKeys, apiKeyHeader, keySource } = config.auth;
  const fromConfig = keySource.from === 'config';
  if (mode !== 'api-key' && fromConfig && apiKeys.length === 0) return null;
  if (fromConfig && apiKeys.length === 0) new Logger('Auth').warn('auth.mode is "api-key" but auth.apiKeys is empty: every request will be refused');
  return new ApiKeyStrategy(context.apiKeys, apiKeyHeader, config.app);
};

/** The registry: every credential kind the kernel offers. A new kind is one file and one entry here. */
export const CREDENTIAL_STRATEGIES: readonly CredentialStrategyFactory[] = [jwtCredential, apiKeyCredential];
