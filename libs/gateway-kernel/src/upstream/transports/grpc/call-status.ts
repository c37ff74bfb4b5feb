import { constants, type IncomingHttpHeaders } from 'node:http2';
import { GrpcCallError, GrpcStatus } from './grpc-status';

/**
 * How a call ended, read from its trailers (or a trailers-only answer's
 * headers): null for OK, else the failure. A `grpc-status` that is missing
 * is a failure too: the HTTP status's meaning when it was not 200 (as gRPC
 * maps one, below), else UNKNOWN.
 *
 * @example const failure = statusOf(trailers, 200); if (failure) reject(failure);
 */
export function statusOf(trailers: IncomingHttpHeaders, httpStatus: number): GrpcCallError | null {
  const raw = trailers['grpc-status'];
  if (raw === '0') return null;
  const code = typeof raw === 'string' && /^\d{1,2}$/.test(raw) ? Number(raw) : undefined;
  if (code === GrpcStatus.OK) return null;
  if (code === undefined) return httpStatus !== 200 ? fromHttpStatus(httpStatus) : new GrpcCallError(GrpcStatus.UNKNOWN, 'no grpc-status received');
  return new GrpcCallError(code, messageOf(trailers['grpc-message']));
}

/**
 * The status of a call whose HTTP/2 stream closed before it had one, as
 * grpc-js reports it: a lost connection (`connectionLost`, or a reset or
 * timed-out socket) is UNAVAILABLE, so retries and the breaker treat it as
 * a connection that failed; a stream the server refused (it never ran) is
 * UNAVAILABLE too; other resets are the server's failure.
 *
 * @example closedWithoutStatus(stream.rstCode, 200, session.destroyed, error)
 */
export function closedWithoutStatus(rstCode: number | undefined, httpStatus: number, connectionLost: boolean, cause: Error | undefined): GrpcCallError {
  const socketCode = (cause as { code?: unknown } | undefined)?.code;
  if (connectionLost || socketCode === 'ECONNRESET' || socketCode === 'ETIMEDOUT') {
    return new GrpcCallError(GrpcStatus.UNAVAILABLE, `connection dropped${cause ? `: ${cause.message}` : ''}`);
  }
  switch (rstCode) {
    case constants.NGHTTP2_REFUSED_STREAM:
      return new GrpcCallError(GrpcStatus.UNAVAILABLE, 'stream refused by the server');
    case constants.NGHTTP2_CANCEL:
      return new GrpcCallError(GrpcStatus.CANCELLED, 'stream cancelled by the server');
    case constants.NGHTTP2_ENHANCE_YOUR_CALM:
      return new GrpcCallError(GrpcStatus.RESOURCE_EXHAUSTED, 'the server says: enhance your calm');
    case constants.NGHTTP2_INADEQUATE_SECURITY:
      return new GrpcCallError(GrpcStatus.PERMISSION_DENIED, 'the server says: inadequate security');
    case constants.NGHTTP2_NO_ERROR:
    case undefined:
      return httpStatus !== 0 && httpStatus !== 200 ? fromHttpStatus(httpStatus) : new GrpcCallError(GrpcStatus.INTERNAL, 'the call ended without a grpc-status');
    default:
      return new GrpcCallError(GrpcStatus.INTERNAL, `stream reset with HTTP/2 code ${rstCode}${cause ? `: ${cause.message}` : ''}`);
  }
}

/** An HTTP status where a gRPC server would have answered 200 (a proxy's, or no gRPC server at all), as the gRPC spec maps it. */
function fromHttpStatus(httpStatus: number): GrpcCallError {
  const details = `HTTP status ${httpStatus}`;
  switch (httpStatus) {
    case 400:
      return new GrpcCallError(GrpcStatus.INTERNAL, details);
    case 401:
      return new GrpcCallError(GrpcStatus.UNAUTHENTICATED, details);
    case 403:
      return new GrpcCallError(GrpcStatus.PERMISSION_DENIED, details);
    case 404:
      return new GrpcCallError(GrpcStatus.UNIMPLEMENTED, details);
    case 429:
    case 502:
    case 503:
    case 504:
      return new GrpcCallError(GrpcStatus.UNAVAILABLE, details);
    default:
      return new GrpcCallError(GrpcStatus.UNKNOWN, details);
  }
}

/** `grpc-message` is percent-encoded; one that does not decode is kept as sent. */
function messageOf(raw: string | string[] | undefined): string {
  const text = Array.isArray(raw) ? raw.join(', ') : (raw ?? '');
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
