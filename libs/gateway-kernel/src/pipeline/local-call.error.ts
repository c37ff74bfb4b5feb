import { ErrorCode, GatewayError } from '../errors';
import { CallCancelledError } from './call-cancelled.error';

/**
 * A call that failed on this side before its request reached the upstream:
 * the transport refused the request (an invalid header value), its body
 * failed while being read here (the proxy's 413 past the body limit, a
 * caller's own stream), or the connections were already closed. Not the
 * instance's failure: breakers and outlier detection leave it out, retries
 * do not repeat it, the cache answers no stale entry for it. A GatewayError
 * cause keeps its code and detail (the client still sees the 413).
 *
 * @example throw new LocalCallError(error, 'catalog');
 */
export class LocalCallError extends GatewayError {
  constructor(cause: unknown, upstream: string) {
    const own = cause instanceof GatewayError ? cause : undefined;
    super(own?.code ?? ErrorCode.Internal, own?.detail ?? `the request to upstream ${upstream} could not be sent`, {
      cause,
      headers: own?.headers,
      errors: own?.errors,
    });
    this.name = 'LocalCallError';
  }
}

/**
 * True when a failure says nothing about the upstream: the caller went away
 * (CallCancelledError) or the request never reached it (LocalCallError).
 *
 * @example if (isLocalFailure(error)) return 'ignored';
 */
export function isLocalFailure(error: unknown): boolean {
  return error instanceof CallCancelledError || error instanceof LocalCallError;
}
