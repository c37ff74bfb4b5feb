import { type ErrorCodeName, GatewayError } from '../errors';

/**
 * An upstream answered with a failure status of its own protocol (a gRPC
 * status), mapped to its row of the error table; the transport, which knows
 * what the status means, says whether another attempt may succeed (gRPC:
 * UNAVAILABLE, the call did not run). The upstream's own message is kept
 * as the cause, for logs only.
 *
 * @example throw new UpstreamStatusError(ErrorCode.Unavailable, 'upstream inventory is unavailable', true, { cause: error });
 */
export class UpstreamStatusError extends GatewayError {
  constructor(
    code: ErrorCodeName,
    detail: string,
    readonly retryable: boolean,
    options: { cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(code, detail, options);
    this.name = 'UpstreamStatusError';
  }
}
