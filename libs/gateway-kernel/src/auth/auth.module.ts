import { DynamicModule, Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';
import { ApiKeyStrategy } from './api-key.strategy';
import { AUTH_MODULE_OPTIONS, DEFAULT_JWKS_TIMEOUT_MS, DEFAULT_TOKEN_CACHE_SIZE } from './auth.constants';
import { AuthModuleOptions } from './auth-module-options.interface';
import { GatewayAuthGuard } from './gateway-auth.guard';
import { JwksFetcher } from './jwks-fetcher';
import { createJwksKeyProvider } from './jwks-key-provider';
import { JwtStrategy } from './jwt.strategy';
import { VerifiedTokenCache } from './verified-token-cache';

/**
 * Authentication for a BFF: builds the strategies its `GatewayConfig` calls for
 * (JWT when `auth.jwt` is set, API key when `auth.mode` is `api-key` or keys are
 * listed) and installs the global guard, so every route needs the app's
 * credential unless marked `@Public()`. Reads `GATEWAY_CONFIG`, so import
 * `GatewayConfigModule.forRoot(config)` too.
 *
 * @example @Module({ imports: [GatewayConfigModule.forRoot(config), AuthModule.forRoot()] })
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    return {
      module: AuthModule,
      providers: [
        { provide: AUTH_MODULE_OPTIONS, useValue: options },
        { provide: JwtStrategy, useFactory: createJwtStrategy, inject: [GATEWAY_CONFIG, AUTH_MODULE_OPTIONS] },
        { provide: ApiKeyStrategy, useFactory: createApiKeyStrategy, inject: [GATEWAY_CONFIG] },
        { provide: APP_GUARD, useClass: GatewayAuthGuard },
      ],
      exports: [JwtStrategy, ApiKeyStrategy],
    };
  }
}

function createJwtStrategy(config: GatewayConfig, options: AuthModuleOptions): JwtStrategy | null {
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
}

function createApiKeyStrategy(config: GatewayConfig): ApiKeyStrategy | null {
  const { mode, apiKeys, apiKeyHeader } = config.auth;
  if (mode !== 'api-key' && apiKeys.length === 0) return null;
  if (apiKeys.length === 0) new Logger('Auth').warn('auth.mode is "api-key" but auth.apiKeys is empty: every request will be refused');
  return new ApiKeyStrategy(apiKeys, apiKeyHeader, config.app);
}
