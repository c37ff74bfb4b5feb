import { Inject, Injectable, type CanActivate, type ExecutionContext, type OnModuleInit, type Type } from '@nestjs/common';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { PATH_METADATA } from '@nestjs/common/constants';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GATEWAY_CONFIG, type GatewayConfig } from '../../config';
import { RequestPolicy } from '../request-policy';
import type { RoutePolicy } from '../route-policy';
import { RouteDeclarationReader } from './route-declaration.reader';

const TRUE = () => true;

/**
 * The Nest adapter of the route policy: one global guard for every controller
 * route. Policies are resolved for every route at start (a bad `@Throttle`
 * value stops the app there); per request the guard looks its route up and
 * hands the request to the shared `RequestPolicy`.
 */
@Injectable()
export class RoutePolicyGuard implements CanActivate, OnModuleInit {
  // Keyed by controller then handler: an inherited handler may sit under controllers with different decorators.
  private readonly policies = new WeakMap<Type<unknown>, WeakMap<object, RoutePolicy>>();
  private readonly reader: RouteDeclarationReader;

  constructor(
    private readonly requestPolicy: RequestPolicy,
    private readonly modules: ModulesContainer,
    reflector: Reflector,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.reader = new RouteDeclarationReader(reflector, config);
  }

  onModuleInit(): void {
    const scanner = new MetadataScanner();
    for (const module of this.modules.values()) {
      for (const wrapper of module.controllers.values()) {
        const controller = wrapper.metatype as Type<unknown> | undefined;
        if (!controller?.prototype) continue;
        for (const name of scanner.getAllMethodNames(controller.prototype)) {
          const handler = controller.prototype[name] as object;
          if (Reflect.getMetadata(PATH_METADATA, handler) !== undefined) this.policyOf(controller, handler);
        }
      }
    }
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const policy = this.policyOf(context.getClass(), context.getHandler());
    if (context.getType() !== 'http') return policy.auth.public;
    const http = context.switchToHttp();
    const pending = this.requestPolicy.enforce(policy, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), context);
    return pending === undefined ? true : pending.then(TRUE);
  }

  private policyOf(controller: Type<unknown>, handler: object): RoutePolicy {
    let byHandler = this.policies.get(controller);
    if (!byHandler) this.policies.set(controller, (byHandler = new WeakMap()));
    let policy = byHandler.get(handler);
    if (!policy) byHandler.set(handler, (policy = this.requestPolicy.resolve(this.reader.read(controller, handler))));
    return policy;
  }
}
