/** Options carried by every gateway error beside its detail. */
export interface GatewayErrorOptions {
  /** Response headers the client must see (`WWW-Authenticate`, `Retry-After`, ...). */
  headers?: Record<string, string>;
  /** The underlying failure: logged, never sent to the client. */
  cause?: unknown;
  /** Field-level reasons (validation), sent as the problem's `errors`. */
  errors?: string[];
}

/**
 * A failure with a fixed place in the error table: a stable code, HTTP status and title.
 * The problem+json filter renders it; the `detail` must be safe to show a client.
 *
 * @example throw new GatewayError(ErrorCode.Forbidden, 'missing scope orders:write');
 */
export class GatewayError extends Error {
  readonly status: number;
  readonly title: string;
  readonly headers: Record<string, string>;
  readonly errors?: string[];

  constructor(
    readonly code: ErrorCodeName,
    readonly detail?: string,
    options: GatewayErrorOptions = {},
  ) {
    super(detail ?? ERROR_TABLE[code].title, { cause: options.cause });
    this.name = 'GatewayError';
    this.status = ERROR_TABLE[code].status;
    this.title = ERROR_TABLE[code].title;
    this.headers = options.headers ?? {};
    this.errors = options.errors;
  }
}

/** The error table of DESIGN.md: one row per situation a client can be told about. */
export const ERROR_TABLE = {
  'bad-request': { status: 400, title: 'Bad Request' },
  'validation-failed': { status: 400, title: 'Validation Failed' },
  'path-escape': { status: 400, title: 'Path Not Allowed' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not Found' },
  'method-not-allowed': { status: 405, title: 'Method Not Allowed' },
  conflict: { status: 409, title: 'Conflict' },
  'payload-too-large': { status: 413, title: 'Payload Too Large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported Media Type' },
  'rate-limited': { status: 429, title: 'Too Many Requests' },
  'quota-exceeded': { status: 429, title: 'Quota Exceeded' },
  internal: { status: 500, title: 'Internal Server Error' },
  'bad-gateway': { status: 502, title: 'Bad Gateway' },
  'circuit-open': { status: 503, title: 'Service Unavailable' },
  unavailable: { status: 503, title: 'Service Unavailable' },
  'gateway-timeout': { status: 504, title: 'Gateway Timeout' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCodeName = keyof typeof ERROR_TABLE;

/** Named codes, so call sites read `ErrorCode.BadGateway` rather than a string. */
export const ErrorCode = {
  BadRequest: 'bad-request',
  ValidationFailed: 'validation-failed',
  PathEscape: 'path-escape',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  NotFound: 'not-found',
  MethodNotAllowed: 'method-not-allowed',
  Conflict: 'conflict',
  PayloadTooLarge: 'payload-too-large',
  UnsupportedMediaType: 'unsupported-media-type',
  RateLimited: 'rate-limited',
  QuotaExceeded: 'quota-exceeded',
  Internal: 'internal',
  BadGateway: 'bad-gateway',
  CircuitOpen: 'circuit-open',
  Unavailable: 'unavailable',
  GatewayTimeout: 'gateway-timeout',
} as const satisfies Record<string, ErrorCodeName>;

/** Finds the table row for an HTTP status (for errors raised by Nest or Fastify). */
export function codeForStatus(status: number): ErrorCodeName {
  for (const [code, row] of Object.entries(ERROR_TABLE)) {
    if (row.status === status) return code as ErrorCodeName;
  }
  return status >= 500 ? 'internal' : 'bad-request';
}
