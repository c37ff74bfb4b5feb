import type { UpstreamInstance, UpstreamMiddleware } from '../pipeline/upstream-call';

/** Chooses among the instances `accepts` lets through; undefined when none is. */
export type InstancePicker = (accepts: (instance: UpstreamInstance) => boolean) => UpstreamInstance | undefined;

const inRotation = (instance: UpstreamInstance) => !instance.ejected && (instance.breaker?.acceptsCalls() ?? true);
const takesCalls = (instance: UpstreamInstance) => instance.breaker?.acceptsCalls() ?? true;
const any = () => true;

/**
 * Sets the instance for each call: one in rotation (not ejected, breaker
 * letting calls through); failing that, an ejected one whose breaker still
 * takes calls (better than refusing); failing that, the next one, whose open
 * breaker then answers 503 at once.
 *
 * The chosen instance is written on the request: the call's own copy, made
 * by the deadline stage before it (each retry attempt picks again).
 *
 * @example balancingMiddleware(instances, roundRobinBalancer(instances))
 */
export function balancingMiddleware(instances: UpstreamInstance[], pick: InstancePicker): UpstreamMiddleware {
  if (instances.length === 1) {
    const [instance] = instances;
    return (next) => (request) => {
      request.instance = instance;
      return next(request);
    };
  }
  return (next) => (request) => {
    request.instance = pick(inRotation) ?? pick(takesCalls) ?? pick(any);
    return next(request);
  };
}
