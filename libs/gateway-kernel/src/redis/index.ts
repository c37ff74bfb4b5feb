export { RedisModule } from './redis.module';
export { REDIS_CLIENT } from './redis.constants';
export { createRedisClient } from './redis-client.factory';
export { ScriptCallBatcher } from './script-call.batcher';
