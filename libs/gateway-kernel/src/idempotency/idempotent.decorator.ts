import { SetMetadata } from '@nestjs/common';

export const IDEMPOTENT_ROUTE = 'gateway:idempotent';

export interface IdempotentOptions {
  /** Refuse the request (400) when it has no Idempotency-Key. Default false. */
  required?: boolean;
  /** How long the first answer is kept. Default 24 h. */
  ttlMs?: number;
}

/**
 * A write that an `Idempotency-Key` header makes safe to retry: the same key
 * from the same caller gets the first answer back instead of a second write.
 *
 * @example @Post() @Idempotent() create(@Body() dto: CreateOrderDto) {}
 */
export const Idempotent = (options: IdempotentOptions = {}) =>
  SetMetadata(IDEMPOTENT_ROUTE, { required: false, ttlMs: 86_400_000, ...options });
