import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { LoggerModule } from 'nestjs-pino';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { accessLogOptions } from './access-log.options';
import { createGatewayLogger } from './gateway-logger.factory';
import { registerProcessMetrics } from './gateway-metrics';
import { registerHttpMetrics } from './http-metrics.hook';
import { MetricsController } from './metrics.controller';
import { registerTraceRoute } from './trace-route.hook';
import { stopTracing, tracingStarted } from './tracing/start-tracing';

/** Adds the request metrics (and, while tracing runs, the span naming) hooks to the app's Fastify instance once. */
@Injectable()
class ObservabilityHooks implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    registerProcessMetrics(this.config.app);
    // Absent in module tests that run without an HTTP server.
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (!fastify?.addHook) return;
    registerHttpMetrics(fastify, this.config.app);
    if (tracingStarted()) registerTraceRoute(fastify);
  }

  async onApplicationShutdown(): Promise<void> {
    // The last spans are exported before the process exits.
    await stopTracing();
  }
}

/**
 * Logs, metrics and traces, on in every BFF: pino JSON logs through
 * nestjs-pino (one access line per request), `GET /metrics`, request
 * duration histograms by route template, and OpenTelemetry span naming when
 * tracing was started (see `startTracing`).
 *
 * @example imports: [ObservabilityModule.forRoot(config)] // GatewayKernelModule does this
 */
@Module({})
export class ObservabilityModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: [LoggerModule.forRoot({ pinoHttp: accessLogOptions(config, createGatewayLogger(config)) })],
      controllers: [MetricsController],
      providers: [ObservabilityHooks],
    };
  }
}
