import { coalescingMiddleware } from '../caching/coalescing.middleware';
import { responseCacheMiddleware } from '../caching/response-cache.middleware';
import type { ResponseCacheStore } from '../caching/response-cache-store.interface';
import type { UpstreamConfig } from '../config';
import { composePipeline, type UpstreamCall, type UpstreamInstance, type UpstreamMiddleware } from '../pipeline/upstream-call';
import { circuitBreakerMiddleware } from '../resilience/circuit-breaker.middleware';
import { OutlierDetector } from '../resilience/outlier-detector';
import { retryMiddleware } from '../resilience/retry.middleware';
import { balancingMiddleware } from './balancing.middleware';
import { contextHeadersMiddleware } from './context-headers.middleware';
import { deadlineMiddleware } from './deadline.middleware';
import { leastOutstandingBalancer } from './least-outstanding.balancer';
import { roundRobinBalancer } from './round-robin.balancer';
import type { UpstreamTransport } from './transports/upstream-transport';
import { upstreamTimingMiddleware } from './upstream-timing.middleware';

/** One upstream's pipeline, built at start: the call, and what stops its timers. */
export interface UpstreamPipeline {
  call: UpstreamCall;
  /** Stops the stages' timers (breakers, ejections); the instances' connections are closed by the client. */
  close(): void;
}

/**
 * The order every upstream call goes through, outermost first. Stages that a
 * config leaves empty are not added, so they cost nothing per call.
 *
 *  0. timing           the call as its caller sees it: metrics, access log
 *  1. context headers  request id, trace, verified identity
 *  2. coalescing       identical buffered GETs in flight share one call
 *  3. response cache   fresh hit answers; stale answers when what follows fails
 *  4. deadline         what is left of the route's budget; cancellation
 *  5. retry            idempotent calls, on 502/503/504/connect/timeout, within budget and deadline
 *  6. balancing        an instance in rotation (not ejected, breaker letting calls through)
 *  7. outlier          counts that instance's failures in a row; ejects it for a while
 *  8. breaker          that instance's breaker: 503 at once while open
 *  9. transport        the upstream's protocol (transports/): sends on the instance's connections
 *
 * This is the one place that knows every stage; the stages know only pipeline/.
 *
 * @example const pipeline = buildUpstreamPipeline('catalog', config, instances, transportFor(config.protocol), store);
 */
export function buildUpstreamPipeline(
  name: string,
  config: UpstreamConfig,
  instances: UpstreamInstance[],
  transport: UpstreamTransport,
  cacheStore?: ResponseCacheStore,
): UpstreamPipeline {
  const outlier =
    instances.length > 1 && config.outlier.maxEjectedPercent > 0 ? new OutlierDetector(name, instances, config.outlier) : undefined;
  const pick = config.balancing === 'least-outstanding' ? leastOutstandingBalancer(instances) : roundRobinBalancer(instances);
  const stages: Array<UpstreamMiddleware | undefined> = [
    upstreamTimingMiddleware(name),
    contextHeadersMiddleware(),
    config.coalesce ? coalescingMiddleware(name) : undefined,
    config.cache.enabled && cacheStore ? responseCacheMiddleware(name, config, cacheStore) : undefined,
    deadlineMiddleware(name, config.timeoutMs),
    config.retry.maxAttempts > 0 ? retryMiddleware(name, config.retry) : undefined,
    balancingMiddleware(instances, pick),
    outlier?.middleware(),
    config.breaker.enabled ? circuitBreakerMiddleware() : undefined,
  ];
  return {
    call: composePipeline(
      stages.filter((stage): stage is UpstreamMiddleware => stage !== undefined),
      transport.lastStage(name, config),
    ),
    close: () => {
      outlier?.close();
      for (const instance of instances) instance.breaker?.dispose();
    },
  };
}
