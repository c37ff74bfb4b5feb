import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import type { CachedResponse, ResponseCacheStore } from './response-cache-store.interface';

interface StoredMeta {
  s: number;
  h: CachedResponse['headers'];
  t: number;
  f: number;
  x: number;
}

/**
 * Cached answers in Redis, shared by every replica. Each entry expires with
 * its stale window (PX), so Redis holds nothing past use; its size is bounded
 * by the cache stage's maxEntryBytes and Redis's own maxmemory policy. Keys
 * are hashed: user ids and paths do not appear in Redis key names. The
 * connection is the shared REDIS_CLIENT (closed by RedisModule).
 *
 * @example new RedisResponseCacheStore(new Redis(url), 'gw:cache:web-bff:')
 */
export class RedisResponseCacheStore implements ResponseCacheStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<CachedResponse | undefined> {
    const raw = await this.redis.getBuffer(this.redisKey(key));
    return raw ? decode(raw) : undefined;
  }

  async set(key: string, entry: CachedResponse): Promise<void> {
    const ttl = entry.staleUntil - Date.now();
    if (ttl > 0) await this.redis.set(this.redisKey(key), encode(entry), 'PX', ttl);
  }

  private redisKey(key: string): string {
    return this.prefix + createHash('sha256').update(key).digest('base64url');
  }
}

/** [4-byte meta length][meta JSON][body]: the body stays binary, no base64. */
function encode(entry: CachedResponse): Buffer {
  const meta: StoredMeta = { s: entry.statusCode, h: entry.headers, t: entry.storedAt, f: entry.freshUntil, x: entry.staleUntil };
  const json = Buffer.from(JSON.stringify(meta));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(json.length);
  return Buffer.concat([length, json, entry.body]);
}

function decode(raw: Buffer): CachedResponse | undefined {
  if (raw.length < 4) return undefined;
  const length = raw.readUInt32BE(0);
  if (raw.length < 4 + length) return undefined;
  const meta = JSON.parse(raw.subarray(4, 4 + length).toString('utf8')) as StoredMeta;
  return {
    statusCode: meta.s,
    headers: meta.h,
    storedAt: meta.t,
    freshUntil: meta.f,
    staleUntil: meta.x,
    body: raw.subarray(4 + length),
  };
}
