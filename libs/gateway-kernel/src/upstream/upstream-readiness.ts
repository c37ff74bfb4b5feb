import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { ReadinessRegistry } from '../health/readiness.registry';
import type { UpstreamClient } from './upstream-client';
import { UpstreamRegistry } from './upstream.registry';

const PROBE_TIMEOUT_MS = 1_000;

/**
 * Readiness of every upstream (`upstream:<name>` in `/health/ready`): at
 * least one instance answers its health path. Only a `critical` upstream can
 * make the app not ready; the others are reported (`critical: false`) with
 * their state but stay `up` for the verdict. Probes go straight to the
 * instances' connections through their transport (not through breakers or
 * retries) with a short timeout, so a slow upstream cannot hang the probe.
 *
 * @example providers: [UpstreamRegistry, UpstreamReadiness] // registers itself in ReadinessRegistry
 */
@Injectable()
export class UpstreamReadiness implements OnModuleInit {
  constructor(
    private readonly upstreams: UpstreamRegistry,
    @Optional() private readonly readiness?: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    for (const client of this.upstreams.all()) {
      this.readiness?.register(`upstream:${client.name}`, () => this.check(client));
    }
  }

  /** Probes every instance of one upstream; down when none answers. */
  async check(client: UpstreamClient): Promise<HealthIndicatorResult> {
    const results = await Promise.all(client.instances.map((instance) => instance.transport.probe(client.config.healthPath, PROBE_TIMEOUT_MS)));
    const up = results.filter(Boolean).length;
    const reachable = up > 0;
    const { critical } = client.config;
    return { [`upstream:${client.name}`]: { status: reachable || !critical ? 'up' : 'down', reachable, critical, instances: results.length, up } };
  }
}
