import type { InstancePicker } from './balancing.middleware';
import type { UpstreamInstance } from '../pipeline/upstream-call';

/**
 * Each call goes to the instance with the fewest calls in flight, so a slow
 * instance gets less; ties go round robin so idle instances share the load.
 *
 * @example const pick = leastOutstandingBalancer(instances);
 */
export function leastOutstandingBalancer(instances: UpstreamInstance[]): InstancePicker {
  let cursor = 0;
  return (accepts) => {
    let best: UpstreamInstance | undefined;
    for (let i = 0; i < instances.length; i++) {
      const instance = instances[(cursor + i) % instances.length];
      if (accepts(instance) && (!best || instance.outstanding < best.outstanding)) best = instance;
    }
    cursor = (cursor + 1) % instances.length;
    return best;
  };
}
