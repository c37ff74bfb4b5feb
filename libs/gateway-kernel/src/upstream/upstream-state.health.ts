import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { ReadinessRegistry } from '../health/readiness.registry';
import { UpstreamRegistry } from './upstream.registry';

const KEY = 'upstream-instances';

/**
 * Breaker and ejection state of every instance, as data in `/health/ready`.
 * Always up: one instance with an open breaker must not take the whole app
 * out of the load balancer (the upstream's own check says whether any
 * instance answers). Instances are named by position, not host.
 *
 * @example providers: [UpstreamRegistry, UpstreamStateHealth] // registers itself in ReadinessRegistry
 */
@Injectable()
export class UpstreamStateHealth implements OnModuleInit {
  constructor(
    private readonly upstreams: UpstreamRegistry,
    @Optional() private readonly readiness?: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness?.register(KEY, async () => this.report());
  }

  report(): HealthIndicatorResult {
    const state: Record<string, unknown> = {};
    for (const client of this.upstreams.all()) {
      state[client.name] = client.instances.map((instance, index) => ({
        instance: index,
        breaker: instance.breaker?.current ?? 'off',
        ejected: instance.ejected,
      }));
    }
    return { [KEY]: { status: 'up', upstreams: state } };
  }
}
