/** The first answer to a write, kept so a retried request gets it again. */
export interface IdempotentRecord {
  status: number;
  body: unknown;
  /** Hash of what was asked; the same key with a different request is refused. */
  fingerprint: string;
}

export type BeginResult =
  | { state: 'new' }
  | { state: 'in-progress' }
  | { state: 'done'; record: IdempotentRecord };

/**
 * Where idempotency keys live: memory for one process, Redis across replicas.
 *
 * @example @Inject(IdempotencyStore) private readonly store: IdempotencyStore
 */
export interface IdempotencyStore {
  /** Claims the key for this request unless it is already claimed or done. */
  begin(key: string, fingerprint: string, ttlMs: number): Promise<BeginResult>;
  complete(key: string, record: IdempotentRecord, ttlMs: number): Promise<void>;
  /** Releases a claim whose request failed, so the client may retry. */
  abandon(key: string): Promise<void>;
}

export const IdempotencyStore = Symbol('IdempotencyStore');
