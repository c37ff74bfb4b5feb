import { RequestContextStore } from '../context';
import { ErrorCode, GatewayError } from '../errors';
import { CallCancelledError } from '../pipeline/call-cancelled.error';
import type { UpstreamMiddleware } from '../pipeline/upstream-call';

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
 * @example deadlineMiddleware('catalog', config.timeoutMs)
 */
export function deadlineMiddleware(upstream: string, timeoutMs: number): UpstreamMiddleware {
  return (next) => async (request) => {
    const context = RequestContextStore.current();
    const remaining = context?.deadline ? context.deadline - Date.now() : timeoutMs;
    const budget = Math.min(timeoutMs, remaining, request.timeoutMs ?? Infinity);
    if (budget <= 0) {
      throw new GatewayError(ErrorCode.GatewayTimeout, `no time left for upstream ${upstream}`);
    }
    const parents = [context?.signal, request.signal].filter((s): s is AbortSignal => !!s);
    const gone = parents.find((parent) => parent.aborted);
    if (gone) throw gone.reason;
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new GatewayError(ErrorCode.GatewayTimeout, `upstream ${upstream} did not answer in time`)),
      budget,
    );
    const onParentAbort = (event: Event) => controller.abort(new CallCancelledError((event.target as AbortSignal).reason));
    for (const parent of parents) parent.addEventListener('abort', onParentAbort, { once: true });
    try {
      // Headers must arrive within the budget; the body then streams under the transport's own body timeout.
      return await next({ ...request, timeoutMs: budget, signal: controller.signal });
    } catch (error) {
      if (error instanceof CallCancelledError && error.reason instanceof GatewayError) throw error.reason;
      throw error;
    } finally {
      clearTimeout(timer);
      for (const parent of parents) parent.removeEventListener('abort', onParentAbort);
    }
  };
}
