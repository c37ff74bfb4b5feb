import { LRUCache } from 'lru-cache';
import type { BeginResult, IdempotencyStore, IdempotentRecord } from './idempotency-store.interface';

type Entry = { state: 'in-progress'; fingerprint: string } | { state: 'done'; record: IdempotentRecord };

/** In-process store, bounded in entries; right for one replica or development. */
export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new LRUCache<string, Entry>({ max: 50_000, ttlAutopurge: false });

  async begin(key: string, fingerprint: string, ttlMs: number): Promise<BeginResult> {
    const entry = this.entries.get(key);
    if (entry?.state === 'done') return { state: 'done', record: entry.record };
    if (entry) return { state: 'in-progress' };
    this.entries.set(key, { state: 'in-progress', fingerprint }, { ttl: ttlMs });
    return { state: 'new' };
  }

  async complete(key: string, record: IdempotentRecord, ttlMs: number): Promise<void> {
    this.entries.set(key, { state: 'done', record }, { ttl: ttlMs });
  }

  async abandon(key: string): Promise<void> {
    this.entries.delete(key);
  }
}
