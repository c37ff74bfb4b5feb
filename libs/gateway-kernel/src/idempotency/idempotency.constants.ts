/** Route metadata key that @Idempotent sets. */
export const IDEMPOTENT_ROUTE = 'gateway:idempotent';

export interface IdempotentOptions {
  /** Refuse the request (400) when it has no Idempotency-Key. Default false. */
  required?: boolean;
  /** How long the first answer is kept. Default 24 h. */
  ttlMs?: number;
}

/** What an `Idempotency-Key` header must look like (a 400 otherwise); the API docs publish the same pattern. */
export const IDEMPOTENCY_KEY_FORMAT = /^[A-Za-z0-9_.:-]{8,128}$/;
