import type { OpenAPIObject } from '@nestjs/swagger';
import type { GatewayConfig } from '../config';
import type { ProxyRoute } from '../proxy';
import { kernelResponses, SECURITY_SCHEMES } from './route-docs';

/**
 * Adds the pass-through routes (registered on Fastify, so invisible to
 * Swagger's controller scan) to the document: one path per declared pattern
 * (`:id` as `{id}`), one operation per method, with the same credentials and
 * problem answers as controller routes.
 *
 * @example addProxyRoutes(document, routes, config);
 */
export function addProxyRoutes(document: OpenAPIObject, routes: readonly ProxyRoute[], config: GatewayConfig): void {
  for (const route of routes) {
    const isPublic = route.public ?? false;
    const responses: Record<string, object> = {
      200: { description: `The ${route.upstream} service's answer, passed through (error bodies replaced by problem+json)` },
    };
    for (const { status, description, headers, content } of kernelResponses({ isPublic, scopes: route.scopes ?? [], throttled: config.throttling.enabled })) {
      responses[String(status)] = { description, headers, content };
    }
    for (const pattern of route.paths) {
      const names: string[] = [];
      const path = route.prefix + pattern.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => (names.push(name), `{${name}}`)).replace(/\/\*$/, () => (names.push('path'), '/{path}'));
      const parameters = names.map((name) => ({
        name,
        in: 'path',
        required: true,
        description: name === 'path' ? 'The rest of the path, passed to the upstream' : 'Passed to the upstream',
        schema: { type: 'string' },
      }));
      const item: Record<string, unknown> = {};
      for (const method of route.methods ?? ['GET', 'HEAD']) {
        item[method.toLowerCase()] = {
          tags: [tagOf(route.prefix)],
          summary: `${method} passed through to the ${route.upstream} service`,
          operationId: `proxy_${route.upstream}_${method.toLowerCase()}_${path.replace(/[^A-Za-z0-9]+/g, '_')}`,
          parameters,
          ...(isPublic ? {} : { security: [{ [SECURITY_SCHEMES[config.auth.mode]]: [] }] }),
          responses,
        };
      }
      (document.paths as Record<string, unknown>)[path] = item;
    }
  }
}

/** `/api/catalog` -> `catalog`. */
function tagOf(prefix: string): string {
  return prefix.split('/').filter((s) => s && !/^(api|v\d+)$/.test(s))[0] ?? 'proxy';
}
