import { DynamicModule, Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { LoggerModule } from 'nestjs-pino';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import type { Logger } from 'pino';
import { registerAccessLog } from './access-log.hook';
import { accessLineLogger, createGatewayLogger } from './gateway-logger.factory';
import { registerProcessMetrics } from './gateway-metrics';
import { headerCensor } from './redact-paths';
import { registerHttpMetrics } from './http-metrics.hook';
import { ManagementServer } from './management-server';
import { registerTraceRoute } from './trace-route.hook';
import { liftStartupMemoryLimit } from './tracing/memory-settings';
import { stopTracing, tracingStarted } from './tracing/start-tracing';

const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * Adds the request metrics (and, while tracing runs, the span naming) hooks to
 * the app's Fastify instance once, and ends the start-up memory limit once it listens.
 */
@Injectable()
class ObservabilityHooks implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(ROOT_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    registerProcessMetrics(this.config.app);
    // Absent in module tests that run without an HTTP server.
    const fastify = this.adapterHost.httpAdapter?.getInstance?.() as FastifyInstance | undefined;
    if (!fastify?.addHook) return;
    registerHttpMetrics(fastify, this.config.app);
    if (this.config.observability.accessLog) registerAccessLog(fastify, accessLineLogger(this.logger), headerCensor(this.config.auth.apiKeyHeader));
    if (tracingStarted()) registerTraceRoute(fastify);
    // Start-up is over: from now on the young generation grows with the load (see MEMORY_SETTINGS).
    fastify.addHook('onListen', (done) => {
      liftStartupMemoryLimit();
      done();
    });
  }

  async onApplicationShutdown(): Promise<void> {
    // The last spans are exported before the process exits.
    await stopTracing();
  }
}

/**
 * Logs, metrics and traces, on in every BFF: pino JSON logs through
 * nestjs-pino (and one access line per request from a Fastify hook), `GET /metrics` on the
 * management port (ManagementServer), request
 * duration histograms by route template, and OpenTelemetry span naming when
 * tracing was started (see `startTracing`).
 *
 * @example imports: [ObservabilityModule.forRoot(config)] // GatewayKernelModule does this
 */
@Module({})
export class ObservabilityModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const logger = createGatewayLogger(config);
    return {
      module: ObservabilityModule,
      // No routes for nestjs-pino's middleware: the root logger serves Nest's Logger (request id
      // and trace id come from the request context), and the access line is a Fastify hook.
      imports: [LoggerModule.forRoot({ pinoHttp: { logger }, forRoutes: [] })],
      providers: [ObservabilityHooks, ManagementServer, { provide: ROOT_LOGGER, useValue: logger }],
      exports: [ManagementServer],
    };
  }
}
