import { Injectable, OnModuleInit } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { UpstreamRegistry, type UpstreamClient } from '../upstream';
import { ReadinessRegistry } from './readiness.registry';

const PROBE_TIMEOUT_MS = 1_000;

/**
 * Readiness of every upstream: at least one instance answers its health path.
 * Probes go straight to the pools (not through breakers or retries) with a
 * short timeout, so a slow upstream cannot hang the probe.
 */
@Injectable()
export class UpstreamsHealthIndicator implements OnModuleInit {
  constructor(
    private readonly upstreams: UpstreamRegistry,
    private readonly readiness: ReadinessRegistry,
    private readonly indicator: HealthIndicatorService,
  ) {}

  onModuleInit(): void {
    for (const client of this.upstreams.all()) {
      this.readiness.register(`upstream:${client.name}`, () => this.check(client));
    }
  }

  private async check(client: UpstreamClient) {
    const session = this.indicator.check(`upstream:${client.name}`);
    const results = await Promise.all(client.instances.map((instance) => this.probe(instance.dispatcher, client.config.healthPath)));
    const up = results.filter(Boolean).length;
    return up > 0 ? session.up({ instances: results.length, up }) : session.down({ instances: results.length, up });
  }

  private async probe(dispatcher: UpstreamClient['instances'][number]['dispatcher'], path: string): Promise<boolean> {
    try {
      const response = await dispatcher.request({
        method: 'GET',
        path: path || '/',
        signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
        headersTimeout: PROBE_TIMEOUT_MS,
        bodyTimeout: PROBE_TIMEOUT_MS,
      });
      await response.body.dump();
      return path ? response.statusCode < 500 : true;
    } catch {
      return false;
    }
  }
}
