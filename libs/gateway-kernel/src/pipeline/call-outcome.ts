import { ErrorCode, GatewayError } from '../errors';
import { CallCancelledError } from './call-cancelled.error';
import type { UpstreamResponse } from './upstream-call';

/** How one attempt ended, as breakers and outlier detection count it. */
export type CallOutcome = 'success' | 'failure' | 'ignored';

/** A 5xx answer counts against the instance; anything below is the instance doing its job. */
export function outcomeOfResponse(response: UpstreamResponse): CallOutcome {
  return response.statusCode >= 500 ? 'failure' : 'success';
}

/**
 * Transport errors and timeouts count against the instance; a cancelled call
 * or a breaker's own refusal does not (the instance never had its chance).
 */
export function outcomeOfError(error: unknown): CallOutcome {
  if (error instanceof CallCancelledError) return 'ignored';
  if (error instanceof GatewayError) {
    if (error.code === ErrorCode.CircuitOpen) return 'ignored';
    return error.status >= 500 ? 'failure' : 'ignored';
  }
  return 'failure';
}
