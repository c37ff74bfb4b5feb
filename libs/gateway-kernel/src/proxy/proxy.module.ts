import { Inject, Injectable, Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { ProblemResponder } from '../errors';
import { RequestPolicy } from '../policy';
import { UpstreamRegistry } from '../upstream';
import type { ProxyRoute } from './proxy-route';
import { PROXY_ROUTES } from './proxy-routes.constants';
import { registerProxyRoute } from './register-proxy-route';

/** Puts the module's routes on the Fastify instance at start, before it is ready. */
@Injectable()
class ProxyRoutesRegistrar implements OnModuleInit {
  constructor(
    @Inject(PROXY_ROUTES) private readonly routes: ProxyRoute[],
    private readonly adapterHost: HttpAdapterHost,
    private readonly upstreams: UpstreamRegistry,
    private readonly requestPolicy: RequestPolicy,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const responder = new ProblemResponder(this.config.problemTypeBase);
    for (const route of this.routes) {
      registerProxyRoute(fastify, route, {
        client: this.upstreams.get(route.upstream),
        config: this.config,
        requestPolicy: this.requestPolicy,
        responder,
      });
    }
  }
}

/**
 * Declarative pass-through routes, registered on Fastify directly (streamed,
 * path-safe, hop-by-hop stripped) with the same policy, errors, metrics and
 * logs as controller routes.
 *
 * @example ProxyModule.forRoot([{ prefix: '/api/catalog', upstream: 'catalog', public: true }])
 */
@Module({})
export class ProxyModule {
  static forRoot(routes: ProxyRoute[]): DynamicModule {
    return {
      module: ProxyModule,
      providers: [{ provide: PROXY_ROUTES, useValue: routes }, ProxyRoutesRegistrar],
      exports: [PROXY_ROUTES],
    };
  }
}
