import { CallSignal, RequestContextStore } from '../context';
import { ErrorCode, GatewayError } from '../errors';
import { CallCancelledError } from '../pipeline/call-cancelled.error';
import type { UpstreamMiddleware, UpstreamResponse } from '../pipeline/upstream-call';

/**
 * Remaining budget of the attempt in ms, sent so the upstream can stop work
 * nobody will wait for (the transport writes it from `timeoutMs`).
 *
 * @example const budgetMs = Number(request.headers[DEADLINE_HEADER]); // in an upstream
 */
export const DEADLINE_HEADER = 'x-request-timeout-ms';

/**
 * Gives each call what is left of the route's deadline (capped by the
 * upstream's own timeout), aborts it when that runs out or the client leaves.
 * A caller going away reaches the inner stages as a CallCancelledError (not
 * the upstream's fault); the caller's own reason is thrown back up.
 *
 * Per call: one CallSignal, one timer, a listener on each parent signal (the
 * request context's and the caller's, once when they are the same), all
 * released as soon as the answer is in: a buffered call's whole body (the
 * transport answers it then), a stream's headers (its body then streams
 * under the transport's own body timeout).
 *
 * @example deadlineMiddleware('catalog', config.timeoutMs)
 */
export function deadlineMiddleware(upstream: string, timeoutMs: number): UpstreamMiddleware {
  const noTimeLeft = `no time left for upstream ${upstream}`;
  const tooSlow = `upstream ${upstream} did not answer in time`;
  return (next) => (request) => {
    // A shared call (coalescing) runs under the deadline of the caller that started it, apart from any context.
    const shared = request.sharedDeadline;
    const context = shared === undefined ? RequestContextStore.current() : undefined;
    const deadline = shared ?? context?.deadline;
    let budget = deadline === undefined ? timeoutMs : Math.min(timeoutMs, deadline - Date.now());
    if (request.timeoutMs !== undefined && request.timeoutMs < budget) budget = request.timeoutMs;
    if (budget <= 0) return Promise.reject(new GatewayError(ErrorCode.GatewayTimeout, noTimeLeft));
    const outer = context?.signal;
    const own = request.signal === outer ? undefined : request.signal;
    if (outer?.aborted) return Promise.reject(outer.reason);
    if (own?.aborted) return Promise.reject(own.reason);

    const signal = new CallSignal();
    const timer = setTimeout(abortInTime, budget, signal, tooSlow);
    const onParentAbort = () => signal.abort(new CallCancelledError(outer?.aborted ? outer.reason : own?.reason));
    outer?.addEventListener('abort', onParentAbort);
    own?.addEventListener('abort', onParentAbort);
    const release = () => {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onParentAbort);
      own?.removeEventListener('abort', onParentAbort);
    };
    return next({ ...request, timeoutMs: budget, signal }).then(
      (response: UpstreamResponse) => {
        release();
        return response;
      },
      (error: unknown) => {
        release();
        throw error instanceof CallCancelledError && error.reason instanceof GatewayError ? error.reason : error;
      },
    );
  };
}

function abortInTime(signal: CallSignal, message: string): void {
  signal.abort(new GatewayError(ErrorCode.GatewayTimeout, message));
}
