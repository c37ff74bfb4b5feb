/** Route metadata key that @Idempotent sets. */
export const IDEMPOTENT_ROUTE = 'gateway:idempotent';

export interface IdempotentOptions {
  /** Refuse the request (400) when it has no Idempotency-Key. Default false. */
  required?: boolean;
  /** How long the first answer is kept. Default 24 h. */
  ttlMs?: number;
}
