import { DynamicModule, Module } from '@nestjs/common';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';
import { ApiKeyReloadService } from './api-keys/api-key-reload.service';
import { ApiKeyTable, LiveApiKeys } from './api-keys/api-key-table';
import { AUTH_MODULE_OPTIONS } from './auth.constants';
import { AuthModuleOptions } from './auth-module-options.interface';
import { Authenticator } from './authenticator';
import { CREDENTIAL_STRATEGIES } from './credential-strategies';
import type { GatewayStrategy } from './gateway-strategy.interface';

/**
 * Authentication for a BFF: the `Authenticator` with every credential
 * strategy its `GatewayConfig` calls for (JWT when `auth.jwt` is set, API key
 * when `auth.mode` is `api-key` or keys are listed). The route policy
 * (`PolicyModule`) runs it on every route not marked `@Public()`. Reads
 * `GATEWAY_CONFIG`, so import `GatewayConfigModule.forRoot(config)` too.
 *
 * @example @Module({ imports: [GatewayConfigModule.forRoot(config), AuthModule.forRoot(), PolicyModule] })
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    return {
      module: AuthModule,
      // Infrastructure: the route policy (PolicyModule) and pass-through routes resolve their routes against it.
      global: true,
      providers: [
        { provide: AUTH_MODULE_OPTIONS, useValue: options },
        { provide: LiveApiKeys, useFactory: initialApiKeys, inject: [GATEWAY_CONFIG] },
        ApiKeyReloadService,
        { provide: Authenticator, useFactory: createAuthenticator, inject: [GATEWAY_CONFIG, AUTH_MODULE_OPTIONS, LiveApiKeys] },
      ],
      exports: [Authenticator],
    };
  }
}

/** `auth.apiKeys` when they are the source; else none until the source's first set (loaded before the app listens). */
function initialApiKeys(config: GatewayConfig): LiveApiKeys {
  return new LiveApiKeys(config.auth.keySource.from === 'config' ? ApiKeyTable.of(config.auth.apiKeys) : ApiKeyTable.empty());
}

function createAuthenticator(config: GatewayConfig, options: AuthModuleOptions, apiKeys: LiveApiKeys): Authenticator {
  const strategies = [...CREDENTIAL_STRATEGIES, ...(options.strategies ?? [])]
    .map((create) => create(config, options, { apiKeys }))
    .filter((strategy): strategy is GatewayStrategy => strategy !== null);
  return new Authenticator(strategies, config.auth.mode);
}
