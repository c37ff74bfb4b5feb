import { Logger } from '@nestjs/common';
import type { OutlierConfig } from '../config';
import { outcomeOfError, outcomeOfResponse, type CallOutcome } from '../pipeline/call-outcome';
import type { UpstreamInstance, UpstreamMiddleware } from '../pipeline/upstream-call';
import { resilienceMetrics } from './resilience.metrics';

interface InstanceRecord {
  failures: number;
  timer?: NodeJS.Timeout;
  gauge: ReturnType<typeof resilienceMetrics.ejected.labels>;
}

/**
 * Outlier detection for one upstream: an instance that fails
 * `consecutiveFailures` calls in a row leaves the rotation for `ejectionMs`,
 * then comes back with a clean record. Never more than `maxEjectedPercent`
 * of the instances are out at once, so the upstream always keeps capacity.
 *
 * @example const detector = new OutlierDetector('catalog', instances, config.outlier);
 */
export class OutlierDetector {
  private readonly records = new Map<UpstreamInstance, InstanceRecord>();
  private readonly maxEjected: number;
  private readonly logger = new Logger('OutlierDetection');

  constructor(
    private readonly upstream: string,
    instances: UpstreamInstance[],
    private readonly config: OutlierConfig,
  ) {
    // At least one may go when ejection is on, as Envoy does: 50% of 1 would otherwise never eject.
    this.maxEjected = Math.max(1, Math.floor((instances.length * config.maxEjectedPercent) / 100));
    for (const instance of instances) {
      const gauge = resilienceMetrics.ejected.labels({ upstream, upstream_instance: instance.label });
      gauge.set(0);
      this.records.set(instance, { failures: 0, gauge });
    }
  }

  /** The stage that feeds the detector; it sits after balancing, where the instance is known. */
  middleware(): UpstreamMiddleware {
    return (next) => (request) => {
      const instance = request.instance;
      if (!instance) return next(request);
      return next(request).then(
        (response) => {
          this.record(instance, outcomeOfResponse(response));
          return response;
        },
        (error: unknown) => {
          this.record(instance, outcomeOfError(error));
          throw error;
        },
      );
    };
  }

  record(instance: UpstreamInstance, outcome: CallOutcome): void {
    const record = this.records.get(instance);
    if (!record || outcome === 'ignored') return;
    if (outcome === 'success') {
      record.failures = 0;
      return;
    }
    record.failures++;
    if (record.failures >= this.config.consecutiveFailures && !instance.ejected && this.ejectedCount() < this.maxEjected) {
      this.eject(instance, record);
    }
  }

  close(): void {
    for (const record of this.records.values()) clearTimeout(record.timer);
  }

  private eject(instance: UpstreamInstance, record: InstanceRecord): void {
    instance.ejected = true;
    record.gauge.set(1);
    this.logger.warn(`upstream ${this.upstream} instance ${instance.host}: ejected for ${this.config.ejectionMs}ms`);
    record.timer = setTimeout(() => {
      instance.ejected = false;
      record.failures = 0;
      record.gauge.set(0);
      this.logger.log(`upstream ${this.upstream} instance ${instance.host}: back in rotation`);
    }, this.config.ejectionMs);
    record.timer.unref();
  }

  private ejectedCount(): number {
    let count = 0;
    for (const instance of this.records.keys()) if (instance.ejected) count++;
    return count;
  }
}
