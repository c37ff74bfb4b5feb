export { Idempotent, type IdempotentOptions } from './idempotent.decorator';
export { IdempotencyStore, type IdempotentRecord } from './idempotency-store.interface';
export { IdempotencyModule } from './idempotency.module';
export { REPLAYED_HEADER } from './idempotency.interceptor';
