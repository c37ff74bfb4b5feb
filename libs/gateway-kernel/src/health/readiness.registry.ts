import { Injectable } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * One dependency's readiness check: its terminus result, `status: 'down'` when not ready.
 *
 * @example const check: ReadinessCheck = async () => ({ redis: { status: 'up' } });
 */
export type ReadinessCheck = () => Promise<HealthIndicatorResult>;

/**
 * Where modules add what readiness depends on (upstreams, Redis, ...), so the
 * health module knows none of them by name.
 *
 * @example readiness.register('redis', () => this.pingRedis());
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  all(): ReadinessCheck[] {
    return [...this.checks.values()];
  }
}
