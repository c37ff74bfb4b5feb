import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { IDEMPOTENT_ROUTE, type IdempotentOptions } from './idempotency.constants';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/**
 * A write that an `Idempotency-Key` header makes safe to retry: the same key
 * from the same caller gets the first answer back instead of a second write.
 *
 * @example @Post() @Idempotent() create(@Body() dto: CreateOrderDto) {}
 */
export const Idempotent = (options: IdempotentOptions = {}) =>
  // Bound to the route, not global: every other route skips the interceptor entirely.
  applyDecorators(
    SetMetadata(IDEMPOTENT_ROUTE, { required: false, ttlMs: 86_400_000, ...options }),
    UseInterceptors(IdempotencyInterceptor),
  );
