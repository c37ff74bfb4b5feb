import { ErrorCode, GatewayError } from '../errors';

/**
 * Ends a call because its caller went away (client closed, sibling source
 * failed), not because the upstream failed: breakers, outlier detection and
 * retries leave it out. The deadline stage hands the caller's own reason back up.
 *
 * @example controller.abort(new CallCancelledError(parent.reason));
 */
export class CallCancelledError extends GatewayError {
  constructor(readonly reason: unknown) {
    super(reason instanceof GatewayError ? reason.code : ErrorCode.BadRequest, 'the call was cancelled', { cause: reason });
    this.name = 'CallCancelledError';
  }
}
