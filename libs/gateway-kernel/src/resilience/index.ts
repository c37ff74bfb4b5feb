export { InstanceBreaker } from './instance-breaker';
export type { BreakerState } from '../pipeline/upstream-call';
export { RetryBudget } from './retry-budget';
