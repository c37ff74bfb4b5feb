import { coalescingMiddleware } from '../caching/coalescing.middleware';
import { responseCacheMiddleware } from '../caching/response-cache.middleware';
import type { ResponseCacheStore } from '../caching/response-cache-store.interface';
import type { UpstreamConfig } from '../config';
import { composePipeline, withEveryField, type UpstreamCall, type UpstreamInstance, type UpstreamMiddleware, type UpstreamRequest } from '../pipeline/upstream-call';
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

/** One upstream's pipelines, built at start: one per kind of call, and what stops their timers. */
export interface UpstreamPipeline {
  /** Buffered GETs (JSON calls): every stage the config enables. */
  shareable: UpstreamCall;
  /** Everything else (streams, writes): without coalescing and the response cache, which only act on buffered GETs. */
  direct: UpstreamCall;
  /** Any call: the pipeline of its kind. */
  call: UpstreamCall;
  /** Stops the stages' timers (breakers, ejections); the instances' connections are closed by the client. */
  close(): void;
}

/** Which calls a stage acts on: `shareable` ones only (buffered GETs), or every call. */
type StageScope = 'all' | 'shareable';

/**
 * True for a call whose answer may be shared (coalesced, cached): a GET the caller reads whole.
 *
 * @example const call = isShareable(request) ? pipeline.shareable : pipeline.direct;
 */
export function isShareable(request: UpstreamRequest): boolean {
  return request.method === 'GET' && request.buffered === true;
}

/**
 * The order every upstream call goes through, outermost first. A stage the
 * config turns off is not built, and one that only acts on buffered GETs is
 * not in the pipeline of other calls, so neither costs anything per call.
 *
 *  0. timing           the call as its caller sees it: metrics, access log
 *  1. context headers  request id, trace, verified identity
 *  2. coalescing       identical buffered GETs in flight share one call        (buffered GETs)
 *  3. response cache   fresh hit answers; stale answers when what follows fails (buffered GETs)
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
  const stages: Array<[UpstreamMiddleware | undefined, StageScope]> = [
    /* 0 */ [upstreamTimingMiddleware(name), 'all'],
    /* 1 */ [contextHeadersMiddleware(), 'all'],
    /* 2 */ [config.coalesce ? coalescingMiddleware(name) : undefined, 'shareable'],
    /* 3 */ [config.cache.enabled && cacheStore ? responseCacheMiddleware(name, config, cacheStore) : undefined, 'shareable'],
    /* 4 */ [deadlineMiddleware(name, config.timeoutMs), 'all'],
    /* 5 */ [config.retry.maxAttempts > 0 ? retryMiddleware(name, config.retry) : undefined, 'all'],
    /* 6 */ [balancingMiddleware(instances, pick), 'all'],
    /* 7 */ [outlier?.middleware(), 'all'],
    /* 8 */ [config.breaker.enabled ? circuitBreakerMiddleware() : undefined, 'all'],
  ];
  const last = transport.lastStage(name, config);
  const pipelineOf = (shareable: boolean) => {
    const used: UpstreamMiddleware[] = [];
    for (const [stage, scope] of stages) if (stage && (shareable || scope === 'all')) used.push(stage);
    const pipeline = composePipeline(used, last);
    return (request: UpstreamRequest) => pipeline(withEveryField(request));
  };
  const shareable = pipelineOf(true);
  const direct = pipelineOf(false);
  return {
    shareable,
    direct,
    call: (request) => (isShareable(request) ? shareable(request) : direct(request)),
    close: () => {
      outlier?.close();
      for (const instance of instances) instance.breaker?.dispose();
    },
  };
}
