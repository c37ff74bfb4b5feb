import { Global, Module } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../config';
import { REDIS_CLIENT } from '../redis/redis.constants';
import { createResponseCacheStore } from './response-cache-store.factory';
import { ResponseCacheStore } from './response-cache-store.interface';

/**
 * The ResponseCacheStore every upstream's cache stage uses (infrastructure,
 * so global). Override the token to swap in another store.
 *
 * @example imports: [ResponseCacheModule] // UpstreamModule does this
 */
@Global()
@Module({
  providers: [
    {
      provide: ResponseCacheStore,
      inject: [GATEWAY_CONFIG, { token: REDIS_CLIENT, optional: true }],
      useFactory: createResponseCacheStore,
    },
  ],
  exports: [ResponseCacheStore],
})
export class ResponseCacheModule {}
