import { HttpStatus, RequestMethod, type Type } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, Reflector } from '@nestjs/core';
import type { ModulesContainer } from '@nestjs/core';
import { ApiExtension, ApiHeader, ApiResponse, ApiSecurity, ApiTags, DECORATORS, getSchemaPath, type ApiResponseOptions } from '@nestjs/swagger';
import type { AuthModeName } from '../auth';
import type { GatewayConfig } from '../config';
import { PROBLEM_CONTENT_TYPE } from '../errors';
import { IDEMPOTENT_ROUTE } from '../idempotency/idempotency.constants';
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
  const throttled = config.throttling.enabled && !operations && !throttle?.skipAll;
  const idempotent = reflector.getAllAndOverride<{ required: boolean } | undefined>(IDEMPOTENT_ROUTE, targets);

  // Declaring any response drops Swagger's default success answer: put it back first.
  if (!Reflect.getMetadata(DECORATORS.API_RESPONSE, handler)) apply(ApiResponse({ status: successStatus(handler), description: 'Success' }));
  if (!isPublic) apply(ApiSecurity(SECURITY_SCHEMES[mode]));
  if (idempotent) {
    apply(ApiHeader({ name: 'Idempotency-Key', required: idempotent.required, description: 'Makes a retry of this write return the first answer instead of writing twice' }));
  }
  for (const response of kernelResponses({ isPublic, scopes, throttled, operations })) apply(ApiResponse(response));
  if (throttled) apply(ApiExtension(THROTTLED_EXTENSION, true));
}

/** What the kernel may answer on a route, whichever adapter serves it. */
export interface RouteTraits {
  isPublic: boolean;
  scopes: readonly string[];
  throttled: boolean;
  /** Health and metrics: they call no upstream and take no input. */
  operations?: boolean;
}

/**
 * The problem+json answers the kernel adds to a route: 401/403 when it checks
 * credentials, 400, 429 with Retry-After when limits apply, and 502/503/504.
 *
 * @example kernelResponses({ isPublic: false, scopes: ['orders:read'], throttled: true })
 */
export function kernelResponses(traits: RouteTraits): ApiResponseOptions[] {
  const out: ApiResponseOptions[] = [];
  if (!traits.isPublic) {
    out.push(problem(401, 'Missing or invalid credentials', { 'WWW-Authenticate': { description: 'The credential scheme to use', schema: { type: 'string' } } }));
  }
  if (traits.scopes.length) out.push(problem(403, `Valid credentials without the scope ${traits.scopes.join(', ')}`));
  if (!traits.operations) out.push(problem(400, 'Invalid input (path, query, body)'));
  if (traits.throttled) {
    out.push(problem(429, 'Over a rate limit or quota', {
      'Retry-After': { description: 'Seconds until a retry may succeed', schema: { type: 'integer' } },
      ...RATE_LIMIT_HEADERS,
    }));
  }
  if (traits.operations) return out;
  out.push(problem(502, 'An upstream refused, reset or sent garbage'));
  out.push(problem(503, 'An upstream is unavailable or its circuit is open'));
  out.push(problem(504, 'An upstream, or the route deadline, timed out'));
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
  'RateLimit-Limit': { description: 'Requests allowed in the most restrictive window', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left in that window', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until that window resets', schema: { type: 'integer' } },
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
