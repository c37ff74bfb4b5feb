import { CallSignal, RequestContextStore, type CancelSignal } from '../context';
import { BufferedBody, bufferResponse, replayResponse, type BufferedResponse } from '../pipeline/buffered-body';
import type { UpstreamMiddleware, UpstreamResponse } from '../pipeline/upstream-call';
import { cachingMetrics } from './caching.metrics';
import { resourceKey } from './resource-key';

/**
 * Identical buffered GETs in flight at the same time share one upstream call
 * (same resource key: method, path and query, vary headers, caller unless
 * shared). Each caller gets its own copy of the answer and can still leave on
 * its own signal; the shared call is cancelled only when every caller has
 * left. Streams (the proxy) are not coalesced: sharing one would tie every
 * client to the slowest reader (the pipeline factory leaves this stage out of
 * theirs; the check here keeps the stage right on its own).
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
    const outer = context?.signal;
    const own = request.signal === outer ? undefined : request.signal;
    if (outer?.aborted) return Promise.reject(outer.reason);
    if (own?.aborted) return Promise.reject(own.reason);

    const shared = inFlight.get(key);
    if (shared && !shared.abandoned) {
      joined.inc();
      return shared.join(outer, own, false);
    }
    const signal = new CallSignal();
    const current = new SharedCall(signal);
    // The shared call outlives its first caller: it runs under its own signal and that caller's deadline, not its context.
    // One reaction both settles the call and lets the next identical GET start its own (the transport answers buffered calls whole).
    current.result = next({ ...request, signal, sharedDeadline: context?.deadline ?? Infinity }).then(
      (response) => {
        if (response.body instanceof BufferedBody) {
          forget(inFlight, key, current);
          return response as BufferedResponse;
        }
        return bufferResponse(response, upstream).finally(() => forget(inFlight, key, current));
      },
      (error: unknown) => {
        forget(inFlight, key, current);
        throw error;
      },
    );
    inFlight.set(key, current);
    return current.join(outer, own, true);
  };
}

function forget(inFlight: Map<string, SharedCall>, key: string, call: SharedCall): void {
  if (inFlight.get(key) === call) inFlight.delete(key);
}

/** One upstream call and the callers waiting on it. */
class SharedCall {
  private waiting = 0;
  /** Every caller left and the call was cancelled: newcomers start their own. */
  abandoned = false;
  /** The upstream's answer, buffered; set right after the call is made (the call's own reaction needs this object first). */
  result!: Promise<BufferedResponse>;

  constructor(private readonly signal: CallSignal) {}

  /** This caller's answer; the first gets the buffered answer itself, the others a copy each. */
  join(outer: CancelSignal | undefined, own: CancelSignal | undefined, first: boolean): Promise<UpstreamResponse> {
    this.waiting++;
    const answer = first ? this.result : this.result.then(replayResponse);
    if (!outer && !own) return answer;
    return new Promise((resolve, reject) => {
      const settle = () => {
        outer?.removeEventListener('abort', leave);
        own?.removeEventListener('abort', leave);
      };
      const leave = () => {
        settle();
        const reason = outer?.aborted ? outer.reason : own?.reason;
        if (--this.waiting === 0) {
          this.abandoned = true;
          this.signal.abort(reason);
        }
        reject(reason);
      };
      outer?.addEventListener('abort', leave);
      own?.addEventListener('abort', leave);
      answer.then(
        (response) => {
          settle();
          resolve(response);
        },
        (error: unknown) => {
          settle();
          reject(error);
        },
      );
    });
  }
}
