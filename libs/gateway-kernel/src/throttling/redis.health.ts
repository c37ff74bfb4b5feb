import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { ReadinessRegistry } from '../health/readiness.registry';
import { RateLimitStore } from './rate-limit-store.interface';
import { RedisRateLimitStore } from './redis-rate-limit.store';

/**
 * Readiness reports the throttling Redis: a PING bounded by `redis.commandTimeoutMs`.
 * Unreachable Redis fails readiness only under `fail-closed` (the replica refuses
 * throttled requests anyway). Under `fail-open` the replica still serves, so it
 * stays ready and says `reachable: false`: failing readiness there would pull
 * every replica out of the load balancer at once, the outage fail-open exists to avoid.
 */
@Injectable()
export class RedisHealthIndicator implements OnModuleInit {
  constructor(
    @Inject(RateLimitStore) private readonly store: RateLimitStore,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    // Absent when the app runs without HealthModule (some tests): then there is nothing to report to.
    @Optional() private readonly readiness?: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    const store = this.store;
    if (store instanceof RedisRateLimitStore) this.readiness?.register('redis', () => this.check(store));
  }

  private async check(store: RedisRateLimitStore): Promise<HealthIndicatorResult> {
    const onRedisError = this.config.throttling.onRedisError;
    try {
      await store.ping();
      return { redis: { status: 'up', reachable: true, onRedisError } };
    } catch (error) {
      const status = onRedisError === 'fail-closed' ? 'down' : 'up';
      return { redis: { status, reachable: false, onRedisError, error: (error as Error).message } };
    }
  }
}
