import { ErrorCode, GatewayError } from '../errors';
import { isLocalFailure } from './local-call.error';
import { UpstreamStatusError } from './upstream-status.error';

const TIMEOUT_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);

/**
 * Turns a transport failure into the gateway's error table; the cause is kept
 * for logs, the detail names only the upstream.
 *
 * @example throw toGatewayError(error, 'catalog');
 */
export function toGatewayError(error: unknown, upstream: string): GatewayError {
  if (error instanceof GatewayError) return error;
  const code = (error as { code?: string }).code ?? '';
  const name = (error as Error)?.name;
  if (TIMEOUT_CODES.has(code) || name === 'TimeoutError') {
    return new GatewayError(ErrorCode.GatewayTimeout, `upstream ${upstream} did not answer in time`, { cause: error });
  }
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
    return new GatewayError(ErrorCode.BadGateway, `upstream ${upstream} sent a response larger than allowed`, {
      cause: error,
    });
  }
  return new GatewayError(ErrorCode.BadGateway, `upstream ${upstream} failed`, { cause: error });
}

/**
 * Whether another attempt might succeed: the connection failed or was reset,
 * or time ran out (502/504 from the transport). Not a call that never
 * reached the upstream, a cancelled one, a breaker's refusal, or an answer
 * larger than allowed (it would be as large again). An upstream's own
 * failure status (UpstreamStatusError) says so itself.
 *
 * @example if (!worthRetrying(error)) throw error;
 */
export function worthRetrying(error: unknown): boolean {
  if (!(error instanceof GatewayError) || isLocalFailure(error)) return false;
  if (error instanceof UpstreamStatusError) return error.retryable;
  if (error.code === ErrorCode.GatewayTimeout) return true;
  if (error.code !== ErrorCode.BadGateway) return false;
  return (error.cause as { code?: string } | undefined)?.code !== 'UND_ERR_RES_EXCEEDED_MAX_SIZE';
}

/**
 * Maps an upstream's error status to what the client is told: 4xx that mean
 * "no such thing" or "bad input" keep their meaning, everything else is the
 * upstream's failure. The upstream's body is never passed on.
 *
 * @example throw statusToGatewayError(response.statusCode, 'catalog');
 */
export function statusToGatewayError(status: number, upstream: string): GatewayError {
  switch (status) {
    case 400:
    case 422:
      return new GatewayError(ErrorCode.BadRequest, `upstream ${upstream} rejected the request`);
    case 404:
      return new GatewayError(ErrorCode.NotFound, `not found at upstream ${upstream}`);
    case 409:
      return new GatewayError(ErrorCode.Conflict, `upstream ${upstream} reported a conflict`);
    case 503:
      return new GatewayError(ErrorCode.Unavailable, `upstream ${upstream} is unavailable`);
    case 504:
      return new GatewayError(ErrorCode.GatewayTimeout, `upstream ${upstream} timed out`);
    default:
      return new GatewayError(ErrorCode.BadGateway, `upstream ${upstream} answered ${status}`);
  }
}
