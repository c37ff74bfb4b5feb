import type { InstancePicker } from './balancing.middleware';
import type { UpstreamInstance } from '../pipeline/upstream-call';

/**
 * Each call goes to the next instance in turn that takes calls.
 *
 * @example const pick = roundRobinBalancer(instances);
 */
export function roundRobinBalancer(instances: UpstreamInstance[]): InstancePicker {
  let cursor = 0;
  return (accepts) => {
    for (let i = 0; i < instances.length; i++) {
      const index = (cursor + i) % instances.length;
      const instance = instances[index];
      if (accepts(instance)) {
        cursor = (index + 1) % instances.length;
        return instance;
      }
    }
    return undefined;
  };
}
