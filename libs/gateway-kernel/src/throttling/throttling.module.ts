import { DynamicModule, Module } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { REDIS_CLIENT } from '../redis';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { RateLimiter } from './rate-limiter';
import { createRateLimitStore } from './rate-limit-store.factory';
import { RateLimitStore } from './rate-limit-store.interface';
import { RedisErrorPolicy } from './redis-error.policy';
import { RedisHealthIndicator } from './redis.health';
import { THROTTLING_MODULE_OPTIONS, type ThrottlingModuleOptions } from './throttling-module-options.interface';
import { DEFAULT_FAILURE_LOG_INTERVAL_MS, DEFAULT_UNTHROTTLED_PATHS } from './throttling.constants';
import { ThrottlingMetrics } from './throttling.metrics';

/**
 * Rate limits and quotas for a BFF, from `GatewayConfig.throttling`: the
 * `RateLimiter` that the route policy runs after authentication, its store
 * (Redis when `redis.url` is set, else memory) and Redis readiness. Routes
 * adjust limits with @nestjs/throttler's `@Throttle` and `@SkipThrottle`.
 *
 * @example @Module({ imports: [GatewayConfigModule.forRoot(config), ThrottlingModule.forRoot()] })
 */
@Module({})
export class ThrottlingModule {
  static forRoot(options: ThrottlingModuleOptions = {}): DynamicModule {
    return {
      module: ThrottlingModule,
      // Infrastructure: the route policy (PolicyModule) plans every route's limits with it.
      global: true,
      providers: [
        { provide: THROTTLING_MODULE_OPTIONS, useValue: options },
        {
          provide: RateLimitStore,
          useFactory: createRateLimitStore,
          inject: [GATEWAY_CONFIG, THROTTLING_MODULE_OPTIONS, { token: REDIS_CLIENT, optional: true }],
        },
        { provide: ThrottlingMetrics, useFactory: () => new ThrottlingMetrics() },
        {
          provide: RedisErrorPolicy,
          useFactory: (config: GatewayConfig, metrics: ThrottlingMetrics, opts: ThrottlingModuleOptions) =>
            new RedisErrorPolicy(config.throttling.onRedisError, metrics, opts.failureLogIntervalMs ?? DEFAULT_FAILURE_LOG_INTERVAL_MS),
          inject: [GATEWAY_CONFIG, ThrottlingMetrics, THROTTLING_MODULE_OPTIONS],
        },
        {
          provide: RateLimiter,
          useFactory: (config: GatewayConfig, store: RateLimitStore, failures: RedisErrorPolicy, metrics: ThrottlingMetrics, opts: ThrottlingModuleOptions) =>
            new RateLimiter(config, store, failures, metrics, opts.unthrottledPaths ?? DEFAULT_UNTHROTTLED_PATHS),
          inject: [GATEWAY_CONFIG, RateLimitStore, RedisErrorPolicy, ThrottlingMetrics, THROTTLING_MODULE_OPTIONS],
        },
        {
          provide: AuthFailureLimiter,
          useFactory: (config: GatewayConfig, store: RateLimitStore, failures: RedisErrorPolicy, metrics: ThrottlingMetrics) =>
            config.throttling.enabled && config.throttling.authFailures.enabled
              ? new AuthFailureLimiter(config.throttling.authFailures, config, store, failures, metrics)
              : null,
          inject: [GATEWAY_CONFIG, RateLimitStore, RedisErrorPolicy, ThrottlingMetrics],
        },
        RedisHealthIndicator,
      ],
      exports: [RateLimiter, AuthFailureLimiter, RateLimitStore],
    };
  }
}
