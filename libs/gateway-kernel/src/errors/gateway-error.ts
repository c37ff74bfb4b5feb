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
  /** Safe to show a client: the raiser's words, else the table's for its code. */
  readonly detail: string;

  constructor(
    readonly code: ErrorCodeName,
    detail?: string,
    options: GatewayErrorOptions = {},
  ) {
    super(detail || ERROR_TABLE[code].detail, { cause: options.cause });
    this.name = 'GatewayError';
    this.detail = detail || ERROR_TABLE[code].detail;
    this.status = ERROR_TABLE[code].status;
    this.title = ERROR_TABLE[code].title;
    this.headers = withRetryAfter(ERROR_TABLE[code], options.headers ?? {});
    this.errors = options.errors;
  }
}

/** One row of the error table. */
export interface ErrorRow {
  status: number;
  title: string;
  detail: string;
  retryAfterSeconds?: number;
}

/**
 * The error table (the README's "Errors" section is its contract): one row per situation a client can be told about.
 * `detail` is what a problem of that row says when its raiser gave no detail of its
 * own (a framework's exception, an upstream 4xx passed on without its words), so
 * every problem has all six fields and none carries anything but the table's words.
 * `retryAfterSeconds` is the `Retry-After` of a row whose raiser set none: a client
 * told "unavailable" (an upstream's own 503 or gRPC UNAVAILABLE included) is told when to retry.
 */
export const ERROR_TABLE = {
  'bad-request': { status: 400, title: 'Bad Request', detail: 'the request is malformed' },
  'validation-failed': { status: 400, title: 'Validation Failed', detail: 'the request input is invalid' },
  'path-escape': { status: 400, title: 'Path Not Allowed', detail: 'the path is not allowed' },
  unauthorized: { status: 401, title: 'Unauthorized', detail: 'credentials are missing or invalid' },
  forbidden: { status: 403, title: 'Forbidden', detail: 'the credentials do not allow this request' },
  'not-found': { status: 404, title: 'Not Found', detail: 'no such resource' },
  'method-not-allowed': { status: 405, title: 'Method Not Allowed', detail: 'the method is not allowed here' },
  conflict: { status: 409, title: 'Conflict', detail: 'the request conflicts with the current state' },
  'payload-too-large': { status: 413, title: 'Payload Too Large', detail: 'the request body is too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported Media Type', detail: 'the body\'s media type is not accepted' },
  'rate-limited': { status: 429, title: 'Too Many Requests', detail: 'too many requests; retry later' },
  'quota-exceeded': { status: 429, title: 'Quota Exceeded', detail: 'the quota is used up' },
  internal: { status: 500, title: 'Internal Server Error', detail: 'the request could not be completed' },
  'bad-gateway': { status: 502, title: 'Bad Gateway', detail: 'an upstream failed' },
  'circuit-open': { status: 503, title: 'Service Unavailable', detail: 'an upstream is unavailable; retry shortly', retryAfterSeconds: 1 },
  unavailable: { status: 503, title: 'Service Unavailable', detail: 'the service is unavailable; retry shortly', retryAfterSeconds: 1 },
  'gateway-timeout': { status: 504, title: 'Gateway Timeout', detail: 'an upstream did not answer in time' },
} as const satisfies Record<string, ErrorRow>;

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

function withRetryAfter(row: ErrorRow, headers: Record<string, string>): Record<string, string> {
  if (row.retryAfterSeconds === undefined || Object.keys(headers).some((name) => name.toLowerCase() === 'retry-after')) return headers;
  return { ...headers, 'retry-after': String(row.retryAfterSeconds) };
}
