import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { ErrorCode, type ErrorCodeName } from '../../../errors';
import { UpstreamStatusError } from '../../../pipeline/upstream-status.error';

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
const MAPPINGS: Partial<Record<GrpcStatus, Mapping>> = {
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
 * which may hold internal detail), the ServiceError as the cause for logs.
 *
 * @example reject(grpcStatusError(error, 'inventory'));
 */
export function grpcStatusError(error: ServiceError, upstream: string): UpstreamStatusError {
  const mapping = MAPPINGS[error.code] ?? OTHER;
  return new UpstreamStatusError(mapping.code, mapping.detail(upstream), mapping.retryable, { cause: error });
}
