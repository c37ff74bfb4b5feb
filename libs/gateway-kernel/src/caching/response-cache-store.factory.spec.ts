import type Redis from 'ioredis';
import { loadGatewayConfig } from '../config';
import { MemoryResponseCacheStore } from './memory-response-cache.store';
import { RedisResponseCacheStore } from './redis-response-cache.store';
import { createResponseCacheStore } from './response-cache-store.factory';

const config = (cache: Record<string, unknown>, withRedis: boolean) =>
  loadGatewayConfig(
    {
      app: 'test-bff',
      auth: { mode: 'api-key', apiKeys: [{ id: 'k', sha256: 'a'.repeat(64), tier: 'free' }] },
      cache,
      ...(withRedis ? { redis: { url: 'redis://127.0.0.1:6379' } } : {}),
    },
    {},
  );
const client = {} as Redis;

describe('createResponseCacheStore', () => {
  it('is memory without Redis and Redis with it, unless told otherwise', () => {
    expect(createResponseCacheStore(config({}, false))).toBeInstanceOf(MemoryResponseCacheStore);
    expect(createResponseCacheStore(config({}, true), client)).toBeInstanceOf(RedisResponseCacheStore);
    expect(createResponseCacheStore(config({ store: 'memory' }, true), client)).toBeInstanceOf(MemoryResponseCacheStore);
  });

  it('stops the app at start when Redis is asked for and not configured', () => {
    expect(() => createResponseCacheStore(config({ store: 'redis' }, false))).toThrow(/redis\.url/);
  });

  it('keeps nothing with a zero memory bound', async () => {
    const store = createResponseCacheStore(config({ maxBytes: 0 }, false));
    await store.set('k', { statusCode: 200, headers: {}, body: Buffer.from('x'), storedAt: 0, freshUntil: Date.now() + 1e6, staleUntil: Date.now() + 1e6 });
    expect(await store.get('k')).toBeUndefined();
  });
});
