import { RequestContextStore } from '../context';
import { bufferResponse, replayResponse, type BufferedResponse } from '../pipeline/buffered-body';
import type { UpstreamMiddleware, UpstreamResponse } from '../pipeline/upstream-call';
import { cachingMetrics } from './caching.metrics';
import { resourceKey } from './resource-key';

/**
 * Identical buffered GETs in flight at the same time share one upstream call
 * (same resource key: method, path and query, vary headers, caller unless
 * shared). Each caller gets its own copy of the answer and can still leave on
 * its own signal; the shared call is cancelled only when every caller has
 * left. Streams (the proxy) are not coalesced: sharing one would tie every
 * client to the slowest reader.
 *
 * @example config.coalesce ? coalescingMiddleware('catalog') : undefined
 */
export function coalescingMiddleware(upstream: string): UpstreamMiddleware {
  const inFlight = new Map<string, SharedCall>();
  const joined = cachingMetrics.coalesced.labels({ upstream });

  return (next) => (request) => {
    if (request.method !== 'GET' || !request.buffered) return next(request);
    const key = (request.resourceKey ??= resourceKey(upstream, request));
    const context = RequestContextStore.current();
    const callerSignals = [context?.signal, request.signal].filter((s): s is AbortSignal => !!s);

    let shared = inFlight.get(key);
    if (shared && !shared.abandoned) {
      joined.inc();
    } else {
      shared = new SharedCall((signal) =>
        // The shared call outlives its first caller: it runs under its own signal, not that caller's.
        RequestContextStore.run({ ...(context ?? { requestId: '-' }), signal }, () => next({ ...request, signal })).then(
          (response) => bufferResponse(response, upstream),
        ),
      );
      const current = shared;
      inFlight.set(key, current);
      const forget = () => {
        if (inFlight.get(key) === current) inFlight.delete(key);
      };
      current.result.then(forget, forget);
    }
    return shared.join(callerSignals);
  };
}

/** One upstream call and the callers waiting on it. */
class SharedCall {
  readonly result: Promise<BufferedResponse>;
  private readonly controller = new AbortController();
  private waiting = 0;
  /** Every caller left and the call was cancelled: newcomers start their own. */
  abandoned = false;

  constructor(run: (signal: AbortSignal) => Promise<BufferedResponse>) {
    this.result = run(this.controller.signal);
  }

  join(signals: AbortSignal[]): Promise<UpstreamResponse> {
    const gone = signals.find((signal) => signal.aborted);
    if (gone) return Promise.reject(gone.reason);
    this.waiting++;
    return new Promise((resolve, reject) => {
      const settle = () => {
        for (const signal of signals) signal.removeEventListener('abort', leave);
      };
      const leave = (event: Event) => {
        settle();
        const reason = (event.target as AbortSignal).reason;
        if (--this.waiting === 0) {
          this.abandoned = true;
          this.controller.abort(reason);
        }
        reject(reason);
      };
      for (const signal of signals) signal.addEventListener('abort', leave, { once: true });
      this.result.then(
        (response) => {
          settle();
          resolve(replayResponse(response));
        },
        (error: unknown) => {
          settle();
          reject(error);
        },
      );
    });
  }
}
