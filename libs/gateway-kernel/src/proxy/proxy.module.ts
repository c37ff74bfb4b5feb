import { DynamicModule, Module } from '@nestjs/common';
import { createProxyController } from './proxy-controller.factory';
import type { ProxyRoute } from './proxy-route';

/**
 * Declarative pass-through routes.
 *
 * @example ProxyModule.forRoot([{ prefix: '/api/catalog', upstream: 'catalog', public: true }])
 */
@Module({})
export class ProxyModule {
  static forRoot(routes: ProxyRoute[]): DynamicModule {
    return { module: ProxyModule, controllers: routes.map(createProxyController) };
  }
}
