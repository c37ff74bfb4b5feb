import { DynamicModule, Global, Module, type Type } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AggregationModule } from './aggregation';
import { AuthModule } from './auth';
import { GatewayConfigModule, type GatewayConfig } from './config';
import { ProblemDetailsFilter } from './errors';
import { HealthModule } from './health';
import { IdempotencyModule } from './idempotency';
import { ObservabilityModule } from './observability';
import { PolicyModule } from './policy';
import { RedisModule } from './redis';
import { ThrottlingModule } from './throttling';
import { UpstreamModule } from './upstream';
import { gatewayValidationPipe } from './validation';

/**
 * Everything every BFF gets, wired in pipeline order around the app's own module.
 *
 * @example NestFactory.create(GatewayKernelModule.forRoot(config, AppModule), adapter)
 */
@Global()
@Module({})
export class GatewayKernelModule {
  static forRoot(config: GatewayConfig, appModule: Type<unknown> | DynamicModule): DynamicModule {
    return {
      module: GatewayKernelModule,
      imports: [
        GatewayConfigModule.forRoot(config),
        ObservabilityModule.forRoot(config),
        RedisModule,
        UpstreamModule,
        AuthModule.forRoot(),
        ThrottlingModule.forRoot(),
        // One guard for every controller route: authentication, then limits (see policy/).
        PolicyModule,
        HealthModule,
        AggregationModule,
        IdempotencyModule,
        appModule,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: gatewayValidationPipe },
      ],
    };
  }
}
