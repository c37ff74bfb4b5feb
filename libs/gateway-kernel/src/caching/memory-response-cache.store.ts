import { LRUCache } from 'lru-cache';
import type { CachedResponse, ResponseCacheStore } from './response-cache-store.interface';

/** Rough bytes of the object and header overhead beside the body. */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * Cached answers in this process, least recently used dropped first once the
 * bodies, headers and keys together pass `maxBytes`.
 *
 * @example new MemoryResponseCacheStore(32 * 1024 * 1024)
 */
export class MemoryResponseCacheStore implements ResponseCacheStore {
  private readonly entries: LRUCache<string, CachedResponse>;

  constructor(maxBytes: number) {
    this.entries = new LRUCache<string, CachedResponse>({
      maxSize: maxBytes,
      sizeCalculation: (entry, key) => entry.body.length + headerBytes(entry.headers) + key.length + ENTRY_OVERHEAD_BYTES,
    });
  }

  async get(key: string): Promise<CachedResponse | undefined> {
    return this.entries.get(key);
  }

  peek(key: string): CachedResponse | undefined {
    return this.entries.get(key);
  }

  async set(key: string, entry: CachedResponse): Promise<void> {
    const ttl = entry.staleUntil - Date.now();
    if (ttl > 0) this.entries.set(key, entry, { ttl });
  }
}

function headerBytes(headers: CachedResponse['headers']): number {
  let bytes = 0;
  for (const name in headers) {
    const value = headers[name];
    bytes += name.length + (Array.isArray(value) ? value.join(',').length : value.length);
  }
  return bytes;
}
