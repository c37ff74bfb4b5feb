import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { CancelSignal } from '../context/call-signal';
import type { CallOutcome } from './call-outcome';

/**
 * Identity headers the gateway sets on every upstream call (context stage);
 * a client's own copies are always removed first (proxy/forward-headers), and
 * answers are keyed on them (caching/resource-key).
 *
 * @example for (const name of IDENTITY_HEADERS) delete headers[name];
 */
export const IDENTITY_HEADERS = ['x-user-id', 'x-user-scopes', 'x-partner-id', 'x-partner-tier'] as const;

/**
 * One call to an upstream, as it travels down the pipeline.
 *
 * @example await client.send({ method: 'GET', path: '/products/p1', headers: {}, idempotent: true })
 */
export interface UpstreamRequest {
  method: string;
  /** Path and query relative to the upstream's base URL, starting with `/`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body?: string | Buffer | Readable | null;
  /** A message the transport encodes itself (gRPC), in place of `body`'s bytes. */
  message?: unknown;
  /** Time this call may take, set by the deadline stage from the route's budget. */
  timeoutMs?: number;
  /** Aborted when the client goes away or the budget runs out (an AbortSignal, or the stages' own CallSignal). */
  signal?: CancelSignal;
  /**
   * Set by coalescing on the one call it shares: the deadline (epoch ms) of
   * the caller that started it. The call then runs apart from any caller's
   * request context: that deadline bounds it, and only `signal` cancels it.
   */
  sharedDeadline?: number;
  /** Safe to send twice (GET/HEAD/OPTIONS, or a POST with an Idempotency-Key). */
  idempotent?: boolean;
  /** The instance chosen by balancing; set before the transport runs. */
  instance?: UpstreamInstance;
  /**
   * The caller reads the whole body (JSON calls), so the answer may be shared
   * by coalescing and caching, and the transport answers once the body is in
   * (a BufferedBody); false for streams (the proxy), answered at headers.
   */
  buffered?: boolean;
  /**
   * A stream whose answer declares at most this many bytes comes back
   * buffered all the same (a BufferedBody, never shared): a small answer
   * then skips the stream machinery on both sides. Longer or undeclared ones stream.
   */
  bufferUpToBytes?: number;
  /** Every caller gets the same answer: caching and coalescing ignore who asks. */
  shared?: boolean;
  /** This call's cache TTL when the upstream sends no Cache-Control (overrides the upstream's `cacheTtlMs`). */
  cacheTtlMs?: number;
  /** What identifies the answer (see resource-key), computed once by the first stage that needs it. */
  resourceKey?: string;
}

/**
 * The request with every field of UpstreamRequest on it, in one order, for
 * the pipeline's entry. Stages copy a request with a field changed
 * (`{ ...request, signal }`) and set `instance` and `resourceKey` on it; on
 * Node 20 either costs ~2 µs when the field is new to the object (V8 leaves
 * its fast clone path) and ~50 ns when it is not, several times per call.
 *
 * @example const response = await pipeline(withEveryField({ method: 'GET', path: '/products/p1', headers: {} }));
 */
export function withEveryField(request: UpstreamRequest): UpstreamRequest {
  // Typed as every key required, so a field added to UpstreamRequest and not here fails to compile.
  const shaped: { [K in keyof Required<UpstreamRequest>]: UpstreamRequest[K] } = {
    method: request.method,
    path: request.path,
    headers: request.headers,
    body: request.body,
    message: request.message,
    timeoutMs: request.timeoutMs,
    signal: request.signal,
    sharedDeadline: request.sharedDeadline,
    idempotent: request.idempotent,
    instance: request.instance,
    buffered: request.buffered,
    bufferUpToBytes: request.bufferUpToBytes,
    shared: request.shared,
    cacheTtlMs: request.cacheTtlMs,
    resourceKey: request.resourceKey,
  };
  return shaped;
}

/**
 * A response body: the transport's stream, or a buffered copy with the same reading methods.
 *
 * @example const data = await response.body.json();
 */
export type UpstreamBody = Readable & {
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
  dump(): Promise<void>;
};

/**
 * What came back; `body` is a stream the caller must consume or dump.
 * `statusCode` has HTTP's meaning whatever the protocol (a transport maps its own statuses).
 *
 * @example if (response.statusCode >= 500) await response.body.dump();
 */
export interface UpstreamResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: UpstreamBody;
  /** Which instance answered (for logs and metrics). */
  instance: string;
}

/**
 * A call is `(request) -> response`: the pipeline as a whole, or any stage's
 * `next`. It always answers with a promise, failures included: a stage may
 * chain on `next(request)` without guarding against a synchronous throw.
 *
 * @example const response = await call({ method: 'GET', path: '/x', headers: {} });
 */
export type UpstreamCall = (request: UpstreamRequest) => Promise<UpstreamResponse>;

/**
 * A middleware wraps a call into a call; the pipeline stacks them in order.
 *
 * @example const logging: UpstreamMiddleware = (next) => async (request) => next(request);
 */
export type UpstreamMiddleware = (next: UpstreamCall) => UpstreamCall;

/**
 * What a transport holds for one instance (an HTTP pool, a gRPC channel):
 * made once at start, closed at shutdown, never made per request. Only the
 * transport that made it looks inside.
 *
 * @example await instance.transport.probe('/health', 1_000)
 */
export interface InstanceTransport {
  /** Whether the instance answers `path` within `timeoutMs` (readiness); false, never a throw, when not. */
  probe(path: string, timeoutMs: number): Promise<boolean>;
  /** Lets calls in flight finish, then closes the connections. */
  close(): Promise<void>;
}

/**
 * One instance URL of an upstream with its own connections and breaker.
 *
 * @example client.instances.map((instance) => [instance.label, instance.breaker?.current, instance.ejected])
 */
export interface UpstreamInstance {
  /** `scheme://host:port` with no path. */
  origin: string;
  /** `host:port`, for logs and errors only: metrics never carry an address. */
  host: string;
  /** Its position among the upstream's instances (`'0'`, `'1'`, ...): its label in metrics. */
  label: string;
  /** The path prefix of the instance URL (`/v2`), or '' for none. */
  basePath: string;
  /** Requests sent and not yet answered; kept by the transport only when least-outstanding balancing reads it. */
  outstanding: number;
  /** Its connections, made by the upstream's transport at start. */
  transport: InstanceTransport;
  /** This instance's circuit breaker; absent when breakers are off. */
  breaker?: CircuitBreaker;
  /** Set by outlier detection while the instance is out of the rotation. */
  ejected: boolean;
}

/**
 * Where an instance's breaker stands: `closed` lets calls through, `open` refuses them, `half-open` lets one probe through.
 *
 * @example if (instance.breaker?.current === 'open') ...
 */
export type BreakerState = 'closed' | 'half-open' | 'open';

/**
 * What the pipeline needs of an instance's circuit breaker: balancing asks
 * whether it takes calls, the breaker stage lets calls in and records how
 * they ended, readiness reports its state (resilience/InstanceBreaker is the one in use).
 *
 * @example const probe = breaker.enter(); breaker.record(outcomeOfResponse(response), probe);
 */
export interface CircuitBreaker {
  readonly current: BreakerState;
  /** True when a call would be let through now. */
  acceptsCalls(): boolean;
  /** Lets one call through (true when it is the half-open probe) or throws 503 at once. */
  enter(): boolean;
  /** Counts how a call that `enter` let through ended. */
  record(outcome: CallOutcome, probe: boolean): void;
  /** Stops its timers. */
  dispose(): void;
}

/**
 * Stacks middlewares so the first listed is the outermost: reads top to bottom.
 *
 * @example const call = composePipeline([deadline, retry, balance], transport);
 */
export function composePipeline(middlewares: UpstreamMiddleware[], transport: UpstreamCall): UpstreamCall {
  return middlewares.reduceRight<UpstreamCall>((next, middleware) => middleware(next), transport);
}
