export { Idempotent } from './idempotent.decorator';
export type { IdempotentOptions } from './idempotency.constants';
export { IdempotencyStore, type IdempotentRecord } from './idempotency-store.interface';
export { IdempotencyModule } from './idempotency.module';
export { REPLAYED_HEADER } from './idempotency.interceptor';
