import type { Type } from '@nestjs/common';

/** A pass-through route: the declared `paths` under `prefix` go to `upstream`. */
export interface ProxyRoute {
  /** Client-facing prefix, e.g. `/api/catalog`. */
  prefix: string;
  /** Name of a configured upstream. */
  upstream: string;
  /** Prefix on the upstream side (default ''): `/api/catalog/x` -> `<upstream>/<upstreamPrefix>/x`. */
  upstreamPrefix?: string;
  /**
   * The only paths forwarded, below `prefix`: literal segments, `:name` for one
   * segment, a trailing `*` for the rest (`['/products', '/products/:id']`).
   * Anything else is 404; an upstream's `/health`, `/metrics` and `__*` paths never are.
   */
  paths: string[];
  /** Methods allowed (default GET, HEAD). */
  methods?: Array<'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS'>;
  /** No credentials needed. */
  public?: boolean;
  /** Scopes the caller must hold. */
  scopes?: string[];
  /** The route's deadline; default `http.defaultDeadlineMs`. */
  deadlineMs?: number;
  /**
   * An upstream 4xx becomes problem+json with its status and no upstream detail
   * (`mask`, the default); `pass` lends the upstream's own small
   * `application/problem+json` body its `detail` and `errors`.
   */
  upstreamProblems?: 'mask' | 'pass';
  /** Upstream response headers to drop (internal names, instance ids...). */
  stripResponseHeaders?: string[];
  /**
   * For /docs only: the class (fields with `@ApiProperty`) that describes the
   * upstream's 2xx JSON answer on a declared path, `{ '/products/:id': CatalogProduct }`.
   * A path left out is documented as any JSON.
   */
  responseTypes?: Partial<Record<string, Type<unknown>>>;
}

/** Route config flag read by the body parsers: leave the request body as a stream. */
export const PASS_THROUGH_BODY = 'gatewayPassThroughBody';
