import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { ApiKeySourceContentError, type ApiKeySource } from './api-key-source';

/** A read of the whole set may take this long (its own connection: never the request path's 100 ms budget). */
const READ_TIMEOUT_MS = 5_000;

/**
 * Keys from the Redis hash `<prefix>api-keys`: one field per key id, its
 * value the rest of the record as JSON. Whoever changes it publishes on the
 * channel of the same name, and every replica re-reads the whole hash; a
 * replica whose subscription dropped re-reads when it is back.
 *
 * @example redis-cli HDEL gw:api-keys acme && redis-cli PUBLISH gw:api-keys acme
 */
export class RedisApiKeySource implements ApiKeySource {
  readonly kind = 'redis';
  readonly description: string;
  private readonly reader: Redis;
  private readonly subscriber: Redis;
  private readonly logger = new Logger('ApiKeys');

  constructor(
    shared: Redis,
    private readonly hash: string,
  ) {
    this.description = `redis hash ${hash}`;
    // Own connections: a subscribed connection can run nothing else, and reads get a bound of their own.
    this.reader = shared.duplicate({ commandTimeout: READ_TIMEOUT_MS, enableOfflineQueue: true, maxRetriesPerRequest: 1 });
    this.subscriber = shared.duplicate({ commandTimeout: undefined, enableOfflineQueue: true, maxRetriesPerRequest: null });
    for (const connection of [this.reader, this.subscriber]) connection.on('error', () => undefined); // reported by the reads that fail
  }

  async read(): Promise<unknown[]> {
    const fields = await this.reader.hgetall(this.hash);
    const problems: string[] = [];
    const entries = Object.entries(fields).map(([id, text]) => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        problems.push(`${id}: not valid JSON`);
        return undefined;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        problems.push(`${id}: must be a JSON object`);
        return undefined;
      }
      if ('id' in value && value.id !== id) problems.push(`${id}: its "id" differs from its field`);
      return { ...value, id };
    });
    if (problems.length) throw new ApiKeySourceContentError(problems);
    return entries;
  }

  async watch(changed: () => void): Promise<void> {
    this.subscriber.on('message', (channel) => {
      if (channel === this.hash) changed();
    });
    // After a reconnect the subscription is restored, but notices sent meanwhile are lost: re-read.
    this.subscriber.on('ready', () => changed());
    await this.subscriber.subscribe(this.hash).catch((error: Error) =>
      this.logger.warn(`subscribing to ${this.hash} failed (${error.message}); retried on reconnect, the periodic re-read still applies`),
    );
  }

  async close(): Promise<void> {
    await Promise.all([this.reader, this.subscriber].map((c) => c.quit().catch(() => c.disconnect())));
  }
}
