import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { getOptionsToken, getStorageToken, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { REDIS_CLIENT } from '../redis';
import { GatewayThrottlerGuard } from './gateway-throttler.guard';
import { createRateLimitStore } from './rate-limit-store.factory';
import { RateLimitStore } from './rate-limit-store.interface';
import { RedisErrorPolicy } from './redis-error.policy';
import { RedisHealthIndicator } from './redis.health';
import { THROTTLING_MODULE_OPTIONS, type ThrottlingModuleOptions } from './throttling-module-options.interface';
import { DEFAULT_FAILURE_LOG_INTERVAL_MS } from './throttling.constants';
import { ThrottlingMetrics } from './throttling.metrics';

/**
 * Rate limits and quotas for a BFF, from `GatewayConfig.throttling`: installs
 * the global throttling guard (import it after AuthModule: guards run in that
 * order, and throttling needs the principal), the store (Redis when
 * `redis.url` is set, else memory) and Redis readiness. Routes adjust limits
 * with @nestjs/throttler's `@Throttle` and `@SkipThrottle`.
 *
 * @example @Module({ imports: [GatewayConfigModule.forRoot(config), AuthModule.forRoot(), ThrottlingModule.forRoot()] })
 */
@Module({})
export class ThrottlingModule {
  static forRoot(options: ThrottlingModuleOptions = {}): DynamicModule {
    return {
      module: ThrottlingModule,
      providers: [
        { provide: THROTTLING_MODULE_OPTIONS, useValue: options },
        {
          provide: RateLimitStore,
          useFactory: createRateLimitStore,
          inject: [GATEWAY_CONFIG, THROTTLING_MODULE_OPTIONS, { token: REDIS_CLIENT, optional: true }],
        },
        // @nestjs/throttler's own tokens, so its decorators, guard and storage users see the same store and limits.
        { provide: getStorageToken(), useExisting: RateLimitStore },
        { provide: getOptionsToken(), useFactory: throttlerOptions, inject: [GATEWAY_CONFIG] },
        { provide: ThrottlingMetrics, useFactory: () => new ThrottlingMetrics() },
        {
          provide: RedisErrorPolicy,
          useFactory: (config: GatewayConfig, metrics: ThrottlingMetrics, opts: ThrottlingModuleOptions) =>
            new RedisErrorPolicy(config.throttling.onRedisError, metrics, opts.failureLogIntervalMs ?? DEFAULT_FAILURE_LOG_INTERVAL_MS),
          inject: [GATEWAY_CONFIG, ThrottlingMetrics, THROTTLING_MODULE_OPTIONS],
        },
        RedisHealthIndicator,
        { provide: APP_GUARD, useClass: GatewayThrottlerGuard },
      ],
      exports: [RateLimitStore, getStorageToken(), getOptionsToken()],
    };
  }
}

function throttlerOptions(config: GatewayConfig): ThrottlerModuleOptions {
  return { throttlers: config.throttling.limits.map(({ name, ttlMs, limit }) => ({ name, ttl: ttlMs, limit })) };
}
