// @nestjs/swagger serves the UI's assets through @fastify/static, an optional
// peer it does not install: imported here so each app's generated package.json lists it.
import '@fastify/static';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { GatewayConfig } from '../config';
import type { LiveModuleOptions } from '../live';
import { LIVE_MODULE_OPTIONS } from '../live/live.constants';
import { PROXY_ROUTES, type ProxyRoute } from '../proxy';
import { ProblemDocument } from './problem-document.schema';
import { addLiveRoute } from './live-route-docs';
import { addProxyRoutes, proxyResponseTypes } from './proxy-route-docs';
import { describeRoutes, RATE_LIMIT_HEADERS, SECURITY_SCHEMES, THROTTLED_EXTENSION } from './route-docs';

/** Where every BFF serves its API description. */
export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs/json';

/**
 * Serves the app's OpenAPI document at `GET /docs/json` and its UI at
 * `GET /docs`, generated from the controllers and DTOs (proxy routes
 * included), with the app's credential scheme, problem+json errors and the
 * rate-limit headers. Registered on Fastify directly: public and never throttled.
 *
 * @example setupApiDocs(app, config); // createBffApp does this
 */
export function setupApiDocs(app: NestFastifyApplication, config: GatewayConfig): OpenAPIObject {
  describeRoutes(app.get(ModulesContainer), config);
  const proxyRoutes = proxyRoutesOf(app);
  const document = SwaggerModule.createDocument(app, documentConfig(config), { extraModels: [ProblemDocument, ...proxyResponseTypes(proxyRoutes)] });
  addProxyRoutes(document, proxyRoutes, config);
  const live = liveRouteOf(app);
  if (live) addLiveRoute(document, live, config);
  addRateLimitHeaders(document);
  if (config.http.corsOrigins) addCorsHeader(document);
  declarePathParameters(document);
  declareTags(document);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: DOCS_JSON_PATH,
    raw: ['json'],
    customSiteTitle: `${config.app} API`,
  });
  return document;
}

function documentConfig(config: GatewayConfig): Omit<OpenAPIObject, 'paths'> {
  const builder = new DocumentBuilder()
    .setTitle(config.app)
    .setVersion(config.version)
    .setDescription(
      'Errors are RFC 9457 application/problem+json (schema ProblemDetails) and carry the x-request-id. ' +
        'Throttled routes answer with RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset, and 429 with Retry-After.',
    )
    // The gateway does not know the address its clients use: paths are relative to the origin serving this document.
    .addServer('/', 'This gateway, at the origin that served this document (local, staging or production)', undefined, { 'x-internal': false })
    .setLicense('MIT', 'https://spdx.org/licenses/MIT.html');
  if (config.auth.mode === 'jwt' || config.auth.jwt) {
    builder.addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'A user access token, checked as RFC8725 advises: signature by a key of the identity provider\'s JWKS (asymmetric algorithms only), issuer, audience and expiry.',
      },
      SECURITY_SCHEMES.jwt,
    );
  }
  if (config.auth.mode === 'api-key' || config.auth.apiKeys.length > 0) {
    builder.addApiKey({ type: 'apiKey', in: 'header', name: config.auth.apiKeyHeader, description: 'A partner API key' }, SECURITY_SCHEMES['api-key']);
  }
  return builder.build();
}

/** Every 2xx answer of a throttled operation says how much of the limit is left. */
function addRateLimitHeaders(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      const op = operation as { responses?: Record<string, { headers?: object }>; [THROTTLED_EXTENSION]?: boolean };
      if (!op?.[THROTTLED_EXTENSION] || !op.responses) continue;
      delete op[THROTTLED_EXTENSION];
      for (const [status, response] of Object.entries(op.responses)) {
        if (status.startsWith('2')) response.headers = { ...RATE_LIMIT_HEADERS, ...response.headers };
      }
    }
  }
}

/** With CORS on, every answer may carry Access-Control-Allow-Origin (for an allowed origin only). */
function addCorsHeader(document: OpenAPIObject): void {
  for (const operation of operationsOf(document)) {
    for (const response of Object.values(operation.responses ?? {})) {
      response.headers = { ...response.headers, 'Access-Control-Allow-Origin': CORS_ORIGIN_HEADER };
    }
  }
}

const CORS_ORIGIN_HEADER = { description: 'The calling origin, when CORS_ORIGINS allows it', schema: { type: 'string', maxLength: 2048 } };

/** Every tag the operations use, declared once with a description. */
function declareTags(document: OpenAPIObject): void {
  const used = new Set(operationsOf(document).flatMap((operation) => operation.tags ?? []));
  document.tags = [...used].sort().map((name) => ({
    name,
    description: name === 'operations' ? 'Health, for the platform: public, never throttled' : `The ${name} endpoints`,
  }));
}

type DocumentedOperation = { tags?: string[]; responses?: Record<string, { headers?: Record<string, unknown> }> };

function operationsOf(document: OpenAPIObject): DocumentedOperation[] {
  const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
  return Object.values(document.paths).flatMap((item) => methods.map((method) => item[method] as DocumentedOperation | undefined).filter((op) => op !== undefined));
}

/**
 * Declares the path parameters Swagger leaves out (the proxy routes' wildcard
 * rest of the path), as OpenAPI requires every `{name}` of a path to be.
 */
function declarePathParameters(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    if (names.length === 0) continue;
    for (const operation of Object.values(item)) {
      const op = operation as { parameters?: Array<{ name?: string; in?: string }> };
      if (!op || typeof op !== 'object' || !('responses' in op)) continue;
      const declared = new Set((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name));
      for (const name of names.filter((n) => !declared.has(n))) {
        (op.parameters ??= []).push({ name, in: 'path', required: true, description: 'The rest of the path, passed to the upstream', schema: { type: 'string' } } as never);
      }
    }
  }
}

/** The app's LiveModule endpoint, when it has one. */
function liveRouteOf(app: NestFastifyApplication): LiveModuleOptions | undefined {
  return providedValues<LiveModuleOptions>(app, LIVE_MODULE_OPTIONS)[0];
}

/** Every ProxyModule's routes (an app may import several, or none). */
function proxyRoutesOf(app: NestFastifyApplication): ProxyRoute[] {
  return providedValues<ProxyRoute[]>(app, PROXY_ROUTES).flat();
}

// Read from the module graph rather than app.get(): Nest's application proxy logs an
// ERROR for every app.get() of a token the app does not have, even when the caller catches it.
function providedValues<T>(app: NestFastifyApplication, token: symbol): T[] {
  const values: T[] = [];
  for (const moduleRef of app.get(ModulesContainer).values()) {
    const wrapper = moduleRef.providers.get(token);
    if (wrapper?.instance !== undefined && wrapper.instance !== null) values.push(wrapper.instance as T);
  }
  return values;
}
