export { InstanceBreaker, type BreakerState } from './instance-breaker';
export { RetryBudget } from './retry-budget';
