import { ErrorCode, type ErrorCodeName } from '../../../errors';
import type { UpstreamRequest } from '../../../pipeline/upstream-call';
import { toGatewayError } from '../../../pipeline/upstream-error.mapper';
import { UpstreamStatusError } from '../../../pipeline/upstream-status.error';

/**
 * The gRPC status codes (grpc/doc/statuscodes.md), as numbers on the wire in
 * `grpc-status`.
 *
 * @example if (code === GrpcStatus.UNAVAILABLE) retry();
 */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/**
 * A call that ended with a status other than OK: the server's (from
 * `grpc-status` and `grpc-message`) or one the client reached itself (a
 * dropped connection, a malformed answer). Kept as the cause of the
 * gateway's error, for logs only.
 *
 * @example new GrpcCallError(GrpcStatus.UNAVAILABLE, 'connection dropped')
 */
export class GrpcCallError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(`${code} ${details}`);
    this.name = 'GrpcCallError';
  }
}

interface Mapping {
  code: ErrorCodeName;
  detail: (upstream: string) => string;
  /** Another attempt may succeed: the call did not run. */
  retryable: boolean;
}

/**
 * gRPC statuses a client can be told about, each to its row of the error
 * table; every other status (INTERNAL, UNKNOWN, DATA_LOSS, ...) is the
 * upstream's failure, 502. Only UNAVAILABLE is retried: it means the call
 * did not run (a connection that failed or a server shedding load), where
 * the others are the answer, or work that may have been done. (An attempt
 * that runs out of its own time is retried as for HTTP: the deadline stage's
 * timeout, not a status.)
 */
const MAPPINGS: Partial<Record<number, Mapping>> = {
  [GrpcStatus.UNAVAILABLE]: { code: ErrorCode.Unavailable, detail: (u) => `upstream ${u} is unavailable`, retryable: true },
  [GrpcStatus.DEADLINE_EXCEEDED]: { code: ErrorCode.GatewayTimeout, detail: (u) => `upstream ${u} did not answer in time`, retryable: false },
  [GrpcStatus.NOT_FOUND]: { code: ErrorCode.NotFound, detail: (u) => `not found at upstream ${u}`, retryable: false },
  [GrpcStatus.INVALID_ARGUMENT]: { code: ErrorCode.BadRequest, detail: (u) => `upstream ${u} rejected the request`, retryable: false },
  [GrpcStatus.PERMISSION_DENIED]: { code: ErrorCode.Forbidden, detail: (u) => `upstream ${u} refused the caller`, retryable: false },
  [GrpcStatus.UNAUTHENTICATED]: { code: ErrorCode.Unauthorized, detail: (u) => `upstream ${u} did not accept the caller's credentials`, retryable: false },
};

const OTHER: Mapping = { code: ErrorCode.BadGateway, detail: (u) => `upstream ${u} failed`, retryable: false };

/**
 * A gRPC failure status as the gateway's error: its row of the table, a
 * detail naming only the upstream (never the status message or trailers,
 * which may hold internal detail), the GrpcCallError as the cause for logs.
 *
 * @example reject(grpcStatusError(error, 'inventory'));
 */
export function grpcStatusError(error: GrpcCallError, upstream: string): UpstreamStatusError {
  const mapping = MAPPINGS[error.code] ?? OTHER;
  return new UpstreamStatusError(mapping.code, mapping.detail(upstream), mapping.retryable, { cause: error });
}

/**
 * A failed call as the pipeline sees it: the abort's own reason when the
 * request's signal ended it (the deadline's 504, the caller gone), else the
 * status mapped.
 *
 * @example reject(callFailure(failure, request, 'inventory'));
 */
export function callFailure(failure: GrpcCallError, request: UpstreamRequest, upstream: string): Error {
  if (request.signal?.aborted) return toGatewayError(request.signal.reason ?? failure, upstream);
  return grpcStatusError(failure, upstream);
}
