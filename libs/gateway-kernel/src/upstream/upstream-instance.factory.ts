import type { UpstreamConfig } from '../config';
import type { UpstreamInstance } from '../pipeline/upstream-call';
import { InstanceBreaker } from '../resilience/instance-breaker';
import type { UpstreamTransport } from './transports/upstream-transport';

/**
 * One instance per configured URL, each with its own connections (made by
 * the upstream's transport) and, unless breakers are off, its own breaker,
 * all made at start.
 *
 * @example const instances = createInstances('catalog', config, transportFor(config.protocol));
 */
export function createInstances(upstream: string, config: UpstreamConfig, transport: UpstreamTransport): UpstreamInstance[] {
  return config.urls.map((url, index) => {
    const parsed = new URL(url);
    const label = String(index);
    return {
      origin: parsed.origin,
      host: parsed.host,
      label,
      basePath: parsed.pathname.replace(/\/+$/, ''),
      outstanding: 0,
      transport: transport.connect(parsed.origin, config),
      breaker: config.breaker.enabled ? new InstanceBreaker(upstream, label, config.breaker) : undefined,
      ejected: false,
    };
  });
}
