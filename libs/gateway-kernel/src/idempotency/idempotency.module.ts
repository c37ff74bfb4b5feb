import { Global, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { REDIS_CLIENT } from '../redis';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyStore } from './idempotency-store.interface';
import { MemoryIdempotencyStore } from './memory-idempotency.store';
import { RedisIdempotencyStore } from './redis-idempotency.store';

/** @Idempotent writes, stored in Redis when configured so every replica sees them. */
@Global()
@Module({
  providers: [
    {
      provide: IdempotencyStore,
      inject: [GATEWAY_CONFIG, REDIS_CLIENT],
      useFactory: (config: GatewayConfig, redis?: Redis) =>
        redis ? new RedisIdempotencyStore(redis, `${config.redis?.keyPrefix ?? 'gw:'}idem:${config.app}:`) : new MemoryIdempotencyStore(),
    },
    IdempotencyInterceptor,
  ],
  exports: [IdempotencyStore, IdempotencyInterceptor],
})
export class IdempotencyModule {}
