import { Logger, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { ConfigError, loadGatewayConfig, type GatewayConfig, type GatewayConfigInput } from '../config';
import { GatewayKernelModule } from '../gateway-kernel.module';
import { setupApiDocs } from '../docs';
import { ManagementServer } from '../observability';
import { registerBodyParsers } from './body-parsers';
import { registerEdgeGuard } from './edge-guard.hook';
import { limitConnectionsPerAddress } from './connection-limits';
import { registerLoadShedding } from './load-shedding';
import { fastifyOptions } from './fastify-options';
import { installGracefulShutdown } from './graceful-shutdown';
import { registerRequestContext } from './request-context.hook';

export interface BffAppOptions {
  /** The app's defaults; `CONFIG_FILE` and env override them. */
  defaults: GatewayConfigInput;
  /** Environment to read (tests pass their own). */
  env?: NodeJS.ProcessEnv;
}

export interface BffApp {
  app: NestFastifyApplication;
  config: GatewayConfig;
}

/**
 * Builds a BFF the same way every time: validated config, Fastify with
 * limits and timeouts, request context, body parsers, the kernel's modules,
 * pino as Nest's logger, and the OpenAPI document at /docs.
 *
 * @example const { app, config } = await createBffApp(AppModule, { defaults: { app: 'web-bff' } });
 */
export async function createBffApp(appModule: Type<unknown> | DynamicModule, options: BffAppOptions): Promise<BffApp> {
  const config = loadGatewayConfig(options.defaults, options.env ?? process.env);
  const adapter = new FastifyAdapter(fastifyOptions(config) as ConstructorParameters<typeof FastifyAdapter>[0]);
  const fastify = adapter.getInstance() as unknown as FastifyInstance;
  limitConnectionsPerAddress(fastify.server, config.http.maxConnectionsPerAddress);
  registerLoadShedding(fastify, config.overload);
  registerEdgeGuard(fastify, config.auth.apiKeyHeader);
  registerRequestContext(fastify, config.http.defaultDeadlineMs);
  registerBodyParsers(fastify, config.http.maxJsonDepth);

  const app = await NestFactory.create<NestFastifyApplication>(GatewayKernelModule.forRoot(config, appModule), adapter, {
    bufferLogs: true,
    abortOnError: false,
    bodyParser: false,
  });
  // Nest's own lines (buffered until now) and every later one go out through pino.
  app.useLogger(app.get(PinoNestLogger));
  setupApiDocs(app, config);
  if (config.http.corsOrigins) app.enableCors({ origin: config.http.corsOrigins.split(',').map((o) => o.trim()) });
  return { app, config };
}

/**
 * Creates the app, listens (clients' port, then the management port), and logs
 * where. Exits with status 1 and one line per problem (key, source, reason; no
 * stack) when the configuration is invalid.
 *
 * @example void runBff(AppModule, { defaults: WEB_BFF_DEFAULTS });
 */
export async function runBff(appModule: Type<unknown> | DynamicModule, options: BffAppOptions): Promise<BffApp> {
  const logger = new Logger('Bootstrap');
  try {
    const bff = await createBffApp(appModule, options);
    await bff.app.listen({ port: bff.config.http.port, host: bff.config.http.host });
    await bff.app.get(ManagementServer).listen();
    installGracefulShutdown(bff.app, bff.config);
    const scheme = bff.config.tls ? 'https' : 'http';
    logger.log(`${bff.config.app} listening on ${scheme}://${bff.config.http.host}:${(bff.app.getHttpServer().address() as AddressInfo).port}`);
    return bff;
  } catch (error) {
    // Written directly: buffered Nest logs are never flushed when start-up fails.
    // A configuration problem is the operator's to fix: one line each, no stack.
    const lines =
      error instanceof ConfigError
        ? error.problems.map((problem) => `${options.defaults.app} failed to start: invalid configuration: ${problem}`)
        : [`${options.defaults.app} failed to start: ${(error as Error).stack ?? error}`];
    process.stderr.write(`${lines.join('\n')}\n`);
    process.exit(1);
  }
}
