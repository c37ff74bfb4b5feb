import type { RateLimitStore } from './rate-limit-store.interface';

/**
 * Knobs of `ThrottlingModule.forRoot` that the gateway config does not carry.
 *
 * @example ThrottlingModule.forRoot({ unthrottledPaths: ['/health', '/metrics', '/docs', '/status'] })
 */
export interface ThrottlingModuleOptions {
  /** Path prefixes never throttled (default `/health`, `/metrics`, `/docs`). */
  unthrottledPaths?: string[];
  /** Least time between two log lines about Redis failures (default 10s). */
  failureLogIntervalMs?: number;
  /** A store to use instead of the one config picks (memory, or Redis when `redis.url` is set). */
  store?: RateLimitStore;
}

/** Injection token of the `ThrottlingModuleOptions` given to `ThrottlingModule.forRoot`. */
export const THROTTLING_MODULE_OPTIONS = Symbol('THROTTLING_MODULE_OPTIONS');
