import { Logger } from '@nestjs/common';
import type { ThrottlingConfig } from '../config';
import { ErrorCode, GatewayError } from '../errors';
import type { ThrottlingMetrics } from './throttling.metrics';

/**
 * What a request gets when the rate-limit store fails or is slower than
 * `redis.commandTimeoutMs`: through (`fail-open`) or a 503 (`fail-closed`).
 * Every failure is counted; the log says so at most once per interval (with
 * how many happened since) and once more when the store works again, so an
 * outage does not flood the logs.
 *
 * @example if (!policy.onFailure(error)) ...; // throws the 503 under fail-closed
 */
export class RedisErrorPolicy {
  private readonly logger = new Logger('Throttling');
  private readonly errors: ReturnType<ThrottlingMetrics['redisErrors']['labels']>;
  private failing = 0;
  private unreported = 0;
  private lastReport = 0;

  constructor(
    readonly policy: ThrottlingConfig['onRedisError'],
    metrics: ThrottlingMetrics,
    private readonly logIntervalMs: number,
  ) {
    this.errors = metrics.redisErrors.labels(policy);
    this.errors.inc(0);
  }

  /** Counts and (rate-limited) logs the failure; returns to let the request through, throws to refuse it. */
  onFailure(error: unknown): true {
    this.errors.inc();
    this.failing++;
    this.unreported++;
    const now = Date.now();
    if (now - this.lastReport >= this.logIntervalMs) {
      const more = this.unreported > 1 ? ` (${this.unreported} failures since the last report)` : '';
      const outcome = this.policy === 'fail-open' ? 'letting requests through unthrottled' : 'refusing requests with 503';
      this.logger.warn(`rate-limit store failed: ${(error as Error)?.message ?? String(error)}; ${this.policy}: ${outcome}${more}`);
      this.lastReport = now;
      this.unreported = 0;
    }
    if (this.policy === 'fail-open') return true;
    throw new GatewayError(ErrorCode.Unavailable, 'rate limiting is unavailable; retry shortly', {
      headers: { 'retry-after': '1' },
      cause: error,
    });
  }

  onSuccess(): void {
    if (this.failing === 0) return;
    this.logger.log(`rate-limit store answering again after ${this.failing} failed calls`);
    this.failing = 0;
    this.unreported = 0;
    this.lastReport = 0;
  }
}
