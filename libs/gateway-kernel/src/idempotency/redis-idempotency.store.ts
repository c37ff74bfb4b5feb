import type Redis from 'ioredis';
import type { BeginResult, IdempotencyStore, IdempotentRecord } from './idempotency-store.interface';

const IN_PROGRESS = '{"state":"in-progress"}';
// A claim left by a crashed replica must not block the key for the whole TTL.
const CLAIM_TTL_MS = 30_000;

/** Redis store: a claim is `SET NX`, so two replicas never both run the same write. */
export class RedisIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async begin(key: string, _fingerprint: string, ttlMs: number): Promise<BeginResult> {
    const claimed = await this.redis.set(this.prefix + key, IN_PROGRESS, 'PX', Math.min(ttlMs, CLAIM_TTL_MS), 'NX');
    if (claimed === 'OK') return { state: 'new' };
    const raw = await this.redis.get(this.prefix + key);
    if (!raw) return this.begin(key, _fingerprint, ttlMs);
    const entry = JSON.parse(raw) as { state: string; record?: IdempotentRecord };
    return entry.state === 'done' && entry.record ? { state: 'done', record: entry.record } : { state: 'in-progress' };
  }

  async complete(key: string, record: IdempotentRecord, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, JSON.stringify({ state: 'done', record }), 'PX', ttlMs);
  }

  async abandon(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
