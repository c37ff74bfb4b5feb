import { HttpStatus, RequestMethod, type Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { MetadataScanner, Reflector } from '@nestjs/core';
import type { ModulesContainer } from '@nestjs/core';
import { ApiExtension, ApiHeader, ApiResponse, ApiSecurity, ApiTags, DECORATORS, getSchemaPath, type ApiResponseOptions } from '@nestjs/swagger';
import type { AuthModeName } from '../auth';
import type { GatewayConfig } from '../config';
import { PROBLEM_CONTENT_TYPE } from '../errors';
import { IDEMPOTENCY_KEY_FORMAT, IDEMPOTENT_ROUTE } from '../idempotency/idempotency.constants';
import { RouteDeclarationReader } from '../policy';
import { DEFAULT_UNTHROTTLED_PATHS } from '../throttling/throttling.constants';
import { ProblemDocument } from './problem-document.schema';

/** Security scheme names in the document, one per credential kind. */
export const SECURITY_SCHEMES: Record<AuthModeName, string> = { jwt: 'bearer', 'api-key': 'apiKey' };

/** Extension marking operations the rate limits apply to; their 2xx answers get the RateLimit headers. */
export const THROTTLED_EXTENSION = 'x-gateway-throttled';

const DESCRIBED = Symbol('gatewayDocsDescribed');

const problem = (status: number, description: string, headers?: ApiResponseOptions['headers']): ApiResponseOptions => ({
  status,
  description,
  headers,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: getSchemaPath(ProblemDocument) } } },
});

/**
 * Describes what the kernel adds to every route, from the same metadata the
 * guards read: the credential it takes (none when `@Public()`), 401/403 when
 * it checks them, 429 with Retry-After when the rate limits apply, and the
 * error table's problem+json answers. Runs once, before the document is made.
 */
export function describeRoutes(modules: ModulesContainer, config: GatewayConfig): void {
  const reflector = new Reflector();
  // The same reading of @Public/@Scopes/@AuthMode/@SkipThrottle the route policy resolves at start.
  const reader = new RouteDeclarationReader(reflector, config);
  const scanner = new MetadataScanner();
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | undefined;
      if (!controller?.prototype) continue;
      const operations = isOperations(controller);
      if (!Reflect.getMetadata(DECORATORS.API_TAGS, controller)) ApiTags(operations ? 'operations' : tagOf(controller))(controller);
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = controller.prototype[name] as object;
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined || Reflect.getMetadata(DESCRIBED, handler)) continue;
        Reflect.defineMetadata(DESCRIBED, true, handler);
        describeRoute(controller, name, handler, reflector, reader, config, operations);
      }
    }
  }
}

function describeRoute(
  controller: Type<unknown>,
  name: string,
  handler: object,
  reflector: Reflector,
  reader: RouteDeclarationReader,
  config: GatewayConfig,
  operations: boolean,
): void {
  const targets = [handler as Type<unknown>, controller];
  const descriptor = Object.getOwnPropertyDescriptor(controller.prototype, name) ?? { value: handler };
  const apply = (decorator: MethodDecorator) => decorator(controller.prototype, name, descriptor);

  const { auth, throttle } = reader.read(controller, handler);
  const isPublic = auth.public ?? false;
  const mode = auth.credential ?? config.auth.mode;
  const scopes = [...new Set(auth.scopes ?? [])];
  const idempotent = reflector.getAllAndOverride<{ required: boolean } | undefined>(IDEMPOTENT_ROUTE, targets);
  const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
  const inputs = inputsOf(controller, name);

  // Declaring any response drops Swagger's default success answer: put it back first.
  if (!Reflect.getMetadata(DECORATORS.API_RESPONSE, handler)) apply(ApiResponse({ status: successStatus(handler), description: 'Success' }));
  if (!isPublic) apply(ApiSecurity(SECURITY_SCHEMES[mode]));
  if (idempotent) {
    apply(ApiHeader({ name: 'Idempotency-Key', required: idempotent.required, description: 'Makes a retry of this write return the first answer instead of writing twice', schema: { type: 'string', minLength: 8, maxLength: 128, pattern: IDEMPOTENCY_KEY_FORMAT.source } }));
  }
  const traits = routeTraits(config, {
    isPublic,
    scopes,
    operations,
    skipsLimits: operations || (throttle?.skipAll ?? false),
    takesInput: inputs.size > 0 || pathOf(controller, handler).includes(':'),
    namesResource: pathOf(controller, handler).includes(':'),
    takesBody: inputs.has(RouteParamtypes.BODY) || BODY_METHODS.has(method),
    writes: WRITE_METHODS.has(method),
    idempotent: Boolean(idempotent),
  });
  for (const response of kernelResponses(traits)) apply(ApiResponse(response));
  if (traits.throttled) apply(ApiExtension(THROTTLED_EXTENSION, true));
}

const BODY_METHODS = new Set([RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH]);
const WRITE_METHODS = new Set([RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE]);

/** The kinds of argument (body, query, path parameters...) a handler reads. */
function inputsOf(controller: Type<unknown>, name: string): Set<RouteParamtypes> {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<string, unknown>;
  const read = Object.keys(args).map((key) => Number(key.split(':')[0]));
  return new Set(read.filter((type) => type === RouteParamtypes.BODY || type === RouteParamtypes.QUERY || type === RouteParamtypes.PARAM));
}

function pathOf(controller: Type<unknown>, handler: object): string {
  const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
  return `${controllerPath(controller)}/${String(Array.isArray(path) ? path[0] : (path ?? ''))}`;
}

/** What a route declares, as the docs read it from its metadata (controllers) or its ProxyRoute (pass-through). */
export interface RouteDeclaration {
  isPublic: boolean;
  scopes: readonly string[];
  /** Health: it calls no upstream, takes no input and is never throttled. */
  operations?: boolean;
  /** `@SkipThrottle()` or an unthrottled path: the rate limits never apply. */
  skipsLimits?: boolean;
  /** It reads a body, a query or path parameters, so they can be invalid. */
  takesInput?: boolean;
  /** Its path names one thing (`/products/:id`), which may not exist. */
  namesResource?: boolean;
  /** It reads a request body (size limit, media type). */
  takesBody?: boolean;
  /** POST, PUT, PATCH or DELETE: an upstream may report a conflict. */
  writes?: boolean;
  /** `@Idempotent()`: a reused or in-flight Idempotency-Key is a conflict. */
  idempotent?: boolean;
}

/** What the kernel may answer on a route, whichever adapter serves it: its declaration and the app's config. */
export interface RouteTraits extends RouteDeclaration {
  /** The rate limits apply (throttling on, not skipped). */
  throttled: boolean;
  /** Failed authentication is limited per client address (429 before credentials are even checked). */
  authFailuresLimited: boolean;
  /** Load shedding is on: any route but liveness may answer 503 under pressure. */
  sheds: boolean;
}

/**
 * Reads a route's declaration against the app's config: which of the
 * kernel's answers can happen on it.
 *
 * @example routeTraits(config, { isPublic: true, scopes: [], takesInput: true })
 */
export function routeTraits(config: GatewayConfig, declaration: RouteDeclaration): RouteTraits {
  const throttling = config.throttling;
  return {
    ...declaration,
    throttled: throttling.enabled && !declaration.operations && !declaration.skipsLimits,
    authFailuresLimited: throttling.enabled && throttling.authFailures.enabled && !declaration.isPublic,
    sheds: config.overload.enabled && (config.overload.maxEventLoopDelayMs > 0 || config.overload.maxHeapUsedBytes > 0),
  };
}

const RETRY_AFTER = { 'Retry-After': { description: 'Seconds until a retry may succeed', schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 86_400 } } };

/**
 * The problem+json answers the kernel gives on a route, each only where it can
 * happen: 400 for input, 401/403 when it checks credentials, 404 for a named
 * resource, 409 for writes and reused Idempotency-Keys, 413/415 for bodies,
 * 429 with Retry-After under limits, 500 anywhere, 502/503/504 for upstreams.
 *
 * @example kernelResponses(routeTraits(config, { isPublic: false, scopes: ['orders:read'], takesInput: true }))
 */
export function kernelResponses(traits: RouteTraits): ApiResponseOptions[] {
  const out: ApiResponseOptions[] = [];
  const limited = traits.throttled ? RATE_LIMIT_HEADERS : undefined;
  if (traits.takesInput) out.push(problem(400, 'Invalid input (path, query, body)', limited));
  if (!traits.isPublic) {
    out.push(problem(401, 'Missing or invalid credentials', { 'WWW-Authenticate': { description: 'The credential scheme to use', schema: { type: 'string', maxLength: 256 } } }));
  }
  if (traits.scopes.length) out.push(problem(403, `Valid credentials without the scope ${traits.scopes.join(', ')}`));
  if (traits.namesResource) out.push(problem(404, 'No such resource (at the upstream that holds it)', limited));
  if (traits.writes || traits.idempotent) {
    const why = traits.idempotent ? 'The upstream reported a conflict, or this Idempotency-Key is in use or was used for a different request' : 'The upstream reported a conflict';
    out.push(problem(409, why, limited));
  }
  if (traits.takesBody) {
    out.push(problem(413, 'The request body is larger than the limit'));
    out.push(problem(415, 'The request body is not JSON'));
  }
  if (traits.throttled || traits.authFailuresLimited) {
    const why = traits.throttled ? 'Over a rate limit or quota' : 'Too many failed authentications from this address';
    out.push(problem(429, why, { ...RETRY_AFTER, ...(traits.throttled ? RATE_LIMIT_HEADERS : {}) }));
  }
  out.push(problem(500, 'An unexpected failure in the gateway'));
  if (traits.operations) return out;
  out.push(problem(502, 'An upstream refused, reset or sent garbage', limited));
  const unavailable = [
    'An upstream is unavailable or its circuit is open',
    traits.sheds ? 'the gateway is overloaded' : '',
    traits.idempotent ? 'the idempotency store is down' : '',
  ].filter(Boolean);
  out.push(problem(503, unavailable.join('; '), { ...RETRY_AFTER, ...limited }));
  out.push(problem(504, 'An upstream, or the route deadline, timed out', limited));
  return out;
}

/** The kernel's health and metrics endpoints (the paths the throttler never limits). */
function isOperations(controller: Type<unknown>): boolean {
  const path = `/${controllerPath(controller)}`.replace(/\/+/g, '/');
  return DEFAULT_UNTHROTTLED_PATHS.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

function controllerPath(controller: Type<unknown>): string {
  const path = Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined;
  return String(Array.isArray(path) ? path[0] : (path ?? ''));
}

/** RateLimit-* headers (draft-ietf-httpapi-ratelimit-headers) sent on every throttled answer. */
export const RATE_LIMIT_HEADERS: NonNullable<ApiResponseOptions['headers']> = {
  'RateLimit-Limit': { description: 'Requests allowed in the most restrictive window', schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647 } },
  'RateLimit-Remaining': { description: 'Requests left in that window', schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647 } },
  'RateLimit-Reset': { description: 'Seconds until that window resets', schema: { type: 'integer', format: 'int32', minimum: 0, maximum: 86_400 } },
};

function successStatus(handler: object): number {
  const explicit = Reflect.getMetadata(HTTP_CODE_METADATA, handler) as number | undefined;
  if (explicit) return explicit;
  return Reflect.getMetadata(METHOD_METADATA, handler) === RequestMethod.POST ? HttpStatus.CREATED : HttpStatus.OK;
}

/** `api/products` -> `products`, `v1/orders` -> `orders`, `health` -> `health`. */
function tagOf(controller: Type<unknown>): string {
  const segments = controllerPath(controller).split('/').filter((s) => s && !/^(api|v\d+)$/.test(s));
  return segments[0] ?? controller.name.replace(/Controller$/, '').toLowerCase();
}
