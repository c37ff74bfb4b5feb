import { Controller, Inject, RequestMapping, RequestMethod, Req, Res, type Type } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public, Scopes } from '../auth';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { UpstreamRegistry } from '../upstream';
import { createProxyHandler } from './proxy.handler';
import { PASS_THROUGH_BODY, type ProxyRoute } from './proxy-route';

/**
 * A Nest controller for one proxy route, so the route goes through the same
 * guards (auth, throttling), filters and hooks as every other endpoint.
 */
export function createProxyController(route: ProxyRoute): Type<unknown> {
  const declared = route.methods ?? ['GET', 'HEAD'];
  // Fastify answers HEAD for every GET route itself (through the GET handler).
  const methods = declared.includes('GET') ? declared.filter((m) => m !== 'HEAD') : declared;

  @Controller(route.prefix)
  class ProxyController {
    private readonly handle: ReturnType<typeof createProxyHandler>;

    constructor(
      @Inject(UpstreamRegistry) upstreams: UpstreamRegistry,
      @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    ) {
      this.handle = createProxyHandler(route, upstreams.get(route.upstream), config);
    }

    forward(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      return this.handle(request, reply);
    }
  }

  // One handler per method: Nest keeps one route mapping per controller method.
  for (const method of methods) {
    const name = `forward${method}`;
    // A function of its own: Nest keeps route metadata on the function object.
    const handler = function (this: ProxyController, request: FastifyRequest, reply: FastifyReply) {
      return this.forward(request, reply);
    };
    Object.defineProperty(ProxyController.prototype, name, { value: handler, writable: true });
    const descriptor = Object.getOwnPropertyDescriptor(ProxyController.prototype, name)!;
    Req()(ProxyController.prototype, name, 0);
    Res()(ProxyController.prototype, name, 1);
    RequestMapping({ path: '*', method: RequestMethod[method] })(ProxyController.prototype, name, descriptor);
    RouteConfig({ [PASS_THROUGH_BODY]: true })(ProxyController.prototype, name, descriptor);
  }
  if (route.public) Public()(ProxyController);
  if (route.scopes?.length) Scopes(...route.scopes)(ProxyController);
  Object.defineProperty(ProxyController, 'name', { value: `Proxy${route.upstream.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}Controller` });
  return ProxyController;
}
