import { DynamicModule, Global, Module } from '@nestjs/common';
import { GATEWAY_CONFIG } from './gateway-config.constants';
import { GatewayConfig } from './gateway-config';

/**
 * Makes the validated config injectable everywhere (infrastructure, so global).
 *
 * @example GatewayConfigModule.forRoot(loadGatewayConfig({ app: 'web-bff' }))
 */
@Global()
@Module({})
export class GatewayConfigModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: GatewayConfigModule,
      providers: [{ provide: GATEWAY_CONFIG, useValue: config }],
      exports: [GATEWAY_CONFIG],
    };
  }
}
