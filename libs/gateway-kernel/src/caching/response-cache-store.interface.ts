/**
 * An upstream answer as the cache keeps it.
 *
 * @example if (entry.freshUntil > Date.now()) return fromEntry(entry);
 */
export interface CachedResponse {
  statusCode: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** Epoch ms when it was stored. */
  storedAt: number;
  /** Epoch ms until which it answers without asking the upstream. */
  freshUntil: number;
  /** Epoch ms until which it may answer when the upstream fails; the store drops it then. */
  staleUntil: number;
}

/**
 * Where cached upstream answers live: memory by default, Redis when
 * `redis.url` is set, any other store by providing this token. A store may
 * throw; the cache stage then treats the call as a miss.
 *
 * @example { provide: ResponseCacheStore, useValue: new MemoryResponseCacheStore(8 * 1024 * 1024) }
 */
export interface ResponseCacheStore {
  get(key: string): Promise<CachedResponse | undefined>;
  /** The same lookup answered at once, for stores that hold their entries in this process (no promise per call). */
  peek?(key: string): CachedResponse | undefined;
  /** Keeps the entry until its `staleUntil`, within the store's bounds. */
  set(key: string, entry: CachedResponse): Promise<void>;
}

/**
 * Injection token of the ResponseCacheStore port.
 *
 * @example constructor(@Inject(ResponseCacheStore) store: ResponseCacheStore) {}
 */
export const ResponseCacheStore = Symbol('ResponseCacheStore');
