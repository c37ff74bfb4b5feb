import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import type Redis from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../../config';
import { REDIS_CLIENT } from '../../redis';
import type { ApiKeySource } from './api-key-source';
import { ApiKeyReloader } from './api-key-reloader';
import { LiveApiKeys } from './api-key-table';
import { apiKeyMetrics } from './api-key.metrics';
import { FileApiKeySource } from './file-api-key.source';
import { RedisApiKeySource } from './redis-api-key.source';

/**
 * The Redis hash (and pub/sub channel) of the partner keys, under the app's key prefix.
 *
 * @example apiKeysRedisKey(config) // 'gw:api-keys'
 */
export function apiKeysRedisKey(config: GatewayConfig): string {
  return `${config.redis?.keyPrefix ?? ''}api-keys`;
}

/**
 * Runs the key reloader for the app's lifetime when `auth.keySource.from` is
 * `file` or `redis`: the first set is loaded before the app listens (a
 * source that cannot give one stops the start), changes are followed until shutdown.
 */
@Injectable()
export class ApiKeyReloadService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly reloader?: ApiKeyReloader;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    live: LiveApiKeys,
    @Optional() @Inject(REDIS_CLIENT) redis?: Redis,
  ) {
    apiKeyMetrics.keys.labels(config.app).set(live.table.size);
    const source = sourceOf(config, redis);
    if (source) this.reloader = new ApiKeyReloader(source, live, { app: config.app, reconcileMs: config.auth.keySource.reconcileMs });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.reloader?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.reloader?.stop();
  }
}

function sourceOf(config: GatewayConfig, redis: Redis | undefined): ApiKeySource | undefined {
  const { from, file } = config.auth.keySource;
  if (from === 'file' && file) return new FileApiKeySource(file);
  // load-config refuses `redis` without redis.url, so the client is there.
  if (from === 'redis' && redis) return new RedisApiKeySource(redis, apiKeysRedisKey(config));
  return undefined;
}
