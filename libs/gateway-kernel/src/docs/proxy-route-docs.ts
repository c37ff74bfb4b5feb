import type { Type } from '@nestjs/common';
import { getSchemaPath, type OpenAPIObject } from '@nestjs/swagger';
import type { GatewayConfig } from '../config';
import type { ProxyRoute } from '../proxy';
import { kernelResponses, routeTraits, SECURITY_SCHEMES, THROTTLED_EXTENSION } from './route-docs';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Adds the pass-through routes (registered on Fastify, so invisible to
 * Swagger's controller scan) to the document: one path per declared pattern
 * (`:id` as `{id}`), one operation per method, with the same credentials and
 * problem answers as controller routes, derived from the same traits.
 *
 * @example addProxyRoutes(document, routes, config);
 */
export function addProxyRoutes(document: OpenAPIObject, routes: readonly ProxyRoute[], config: GatewayConfig): void {
  for (const route of routes) {
    const isPublic = route.public ?? false;
    for (const pattern of route.paths) {
      const names: string[] = [];
      const path = route.prefix + pattern.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => (names.push(name), `{${name}}`)).replace(/\/\*$/, () => (names.push('path'), '/{path}'));
      const parameters = names.map((name) => ({
        name,
        in: 'path',
        required: true,
        description: name === 'path' ? 'The rest of the path, passed to the upstream' : 'Passed to the upstream',
        schema: { type: 'string', maxLength: 1024, pattern: name === 'path' ? '^[^?#]+$' : '^[^/?#]+$' },
      }));
      const type = route.responseTypes?.[pattern];
      const item: Record<string, unknown> = {};
      for (const method of route.methods ?? ['GET', 'HEAD']) {
        const success = {
          description: `The ${route.upstream} service's answer, passed through (error bodies replaced by problem+json)`,
          ...(method === 'HEAD' ? {} : { content: { 'application/json': { schema: type ? { $ref: getSchemaPath(type) } : {} } } }),
        };
        const responses: Record<string, object> = { 200: success };
        const traits = routeTraits(config, {
          isPublic,
          scopes: route.scopes ?? [],
          // Path parameters and the rest of the path are checked before they are forwarded.
          takesInput: true,
          namesResource: names.length > 0,
          takesBody: BODY_METHODS.has(method),
          writes: WRITE_METHODS.has(method),
        });
        for (const { status, description, headers, content } of kernelResponses(traits)) {
          responses[String(status)] = { description, headers, content };
        }
        item[method.toLowerCase()] = {
          tags: [tagOf(route.prefix)],
          summary: `${method} passed through to the ${route.upstream} service`,
          description: `Forwarded to the ${route.upstream} service as it is, streamed both ways; only the declared paths are.`,
          operationId: `proxy_${route.upstream}_${method.toLowerCase()}_${path.replace(/[^A-Za-z0-9]+/g, '_')}`,
          parameters,
          ...(isPublic ? {} : { security: [{ [SECURITY_SCHEMES[config.auth.mode]]: [] }] }),
          ...(traits.throttled ? { [THROTTLED_EXTENSION]: true } : {}),
          responses,
        };
      }
      (document.paths as Record<string, unknown>)[path] = item;
    }
  }
}

/** Every response class the routes' `responseTypes` name, for the document's schemas. */
export function proxyResponseTypes(routes: readonly ProxyRoute[]): Type<unknown>[] {
  return [...new Set(routes.flatMap((route) => Object.values(route.responseTypes ?? {}).filter((t): t is NonNullable<typeof t> => Boolean(t))))];
}

/** `/api/catalog` -> `catalog`. */
function tagOf(prefix: string): string {
  return prefix.split('/').filter((s) => s && !/^(api|v\d+)$/.test(s))[0] ?? 'proxy';
}
