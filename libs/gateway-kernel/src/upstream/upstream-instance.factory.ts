import type { UpstreamConfig } from '../config';
import { InstanceBreaker } from '../resilience/instance-breaker';
import type { UpstreamInstance } from '../pipeline/upstream-call';
import { createPool } from './undici-transport';

/**
 * One instance per configured URL, each with its own pool and (unless
 * breakers are off) its own breaker, all made at start.
 *
 * @example const instances = createInstances('catalog', config);
 */
export function createInstances(upstream: string, config: UpstreamConfig): UpstreamInstance[] {
  return config.urls.map((url) => {
    const parsed = new URL(url);
    return {
      origin: parsed.origin,
      host: parsed.host,
      basePath: parsed.pathname.replace(/\/+$/, ''),
      outstanding: 0,
      dispatcher: createPool(parsed.origin, config),
      breaker: config.breaker.enabled ? new InstanceBreaker(upstream, parsed.host, config.breaker) : undefined,
      ejected: false,
    };
  });
}
