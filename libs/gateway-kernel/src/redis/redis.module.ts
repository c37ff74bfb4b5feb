import { Global, Inject, Module, OnApplicationShutdown, Optional } from '@nestjs/common';
import type Redis from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { createRedisClient } from './redis-client.factory';
import { REDIS_CLIENT } from './redis.constants';

/** Provides REDIS_CLIENT (shared, bounded) when `redis.url` is configured. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) => (config.redis ? createRedisClient(config.redis) : undefined),
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Optional() @Inject(REDIS_CLIENT) private readonly redis?: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}
