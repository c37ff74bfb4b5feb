import { ErrorCode, GatewayError } from '../errors';
import { isLocalFailure } from './local-call.error';
import type { UpstreamResponse } from './upstream-call';
import { UpstreamStatusError } from './upstream-status.error';

/**
 * How one attempt ended, as breakers and outlier detection count it.
 *
 * @example const outcome: CallOutcome = outcomeOfError(error);
 */
export type CallOutcome = 'success' | 'failure' | 'ignored';

/**
 * A 5xx answer counts against the instance; anything below is the instance doing its job.
 *
 * @example breaker.record(outcomeOfResponse(response), probe);
 */
export function outcomeOfResponse(response: UpstreamResponse): CallOutcome {
  return response.statusCode >= 500 ? 'failure' : 'success';
}

/**
 * Connection failures, timeouts and 5xx count against the instance; a
 * cancelled call, a request that never reached it (LocalCallError) or a
 * breaker's own refusal does not (the instance never had its chance). An
 * upstream's own 4xx-class status (gRPC NOT_FOUND) is the instance doing its
 * job, as a 4xx answer is.
 *
 * @example breaker.record(outcomeOfError(error), probe);
 */
export function outcomeOfError(error: unknown): CallOutcome {
  if (isLocalFailure(error)) return 'ignored';
  if (error instanceof UpstreamStatusError) return error.status >= 500 ? 'failure' : 'success';
  if (error instanceof GatewayError) {
    if (error.code === ErrorCode.CircuitOpen) return 'ignored';
    return error.status >= 500 ? 'failure' : 'ignored';
  }
  return 'failure';
}
