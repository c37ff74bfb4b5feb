export { ThrottlingModule } from './throttling.module';
export type { ThrottlingModuleOptions } from './throttling-module-options.interface';
export { RateLimitStore, type ConsumeResult, type LimitWindow } from './rate-limit-store.interface';
export { MemoryRateLimitStore } from './memory-rate-limit.store';
export { RedisRateLimitStore } from './redis-rate-limit.store';
export { AuthFailureLimiter } from './auth-failure-limiter';
export { RateLimiter, type RateLimitCaller, type RouteLimitPlan } from './rate-limiter';
export type { LimitOverride, LimitValue, ThrottleDeclaration } from './route-limits';
export type { HeaderTarget } from './rate-limit-headers';
export { trackerOf } from './request-tracker';
export { QUOTA_NAME } from './throttling.constants';
// The route decorators are @nestjs/throttler's, re-exported so apps import one package.
export { SkipThrottle, Throttle } from '@nestjs/throttler';
