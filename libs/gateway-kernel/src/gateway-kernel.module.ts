import { DynamicModule, Global, Module, ValidationPipe, type Type } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import type { ValidationError } from 'class-validator';
import { AggregationModule } from './aggregation';
import { AuthModule } from './auth';
import { GatewayConfigModule, type GatewayConfig } from './config';
import { ErrorCode, GatewayError, ProblemDetailsFilter } from './errors';
import { HealthModule } from './health';
import { IdempotencyModule } from './idempotency';
import { ObservabilityModule } from './observability';
import { PolicyModule } from './policy';
import { RedisModule } from './redis';
import { ThrottlingModule } from './throttling';
import { UpstreamModule } from './upstream';

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
        { provide: APP_PIPE, useFactory: validationPipe },
      ],
    };
  }
}

/** Every DTO is validated: unknown fields rejected, types converted, reasons listed. */
function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors: ValidationError[]) =>
      new GatewayError(ErrorCode.ValidationFailed, 'the request input is invalid', { errors: flatten(errors) }),
  });
}

function flatten(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => [
    ...Object.values(error.constraints ?? {}).map((reason) =>
      reason.startsWith(error.property) ? `${prefix}${reason}` : `${prefix}${error.property}: ${reason}`,
    ),
    ...flatten(error.children ?? [], `${prefix}${error.property}.`),
  ]);
}
