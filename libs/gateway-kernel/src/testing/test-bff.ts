import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createBffApp } from '../bootstrap';
import { deepMerge } from '../config/load-config';
import type { GatewayConfig, GatewayConfigInput } from '../config';
import { ManagementServer } from '../observability';

export interface TestBff {
  app: NestFastifyApplication;
  config: GatewayConfig;
  /** Sends a request in process (Fastify's inject): no port, no socket. */
  inject: NestFastifyApplication['inject'];
  /** The same, to the management listener (`GET /metrics`), which is not on the clients' port. */
  injectManagement: ManagementServer['fastify']['inject'];
  close(): Promise<void>;
}

/**
 * A BFF built exactly as in production (createBffApp: the whole kernel around
 * the app's module) from its defaults plus overrides, ready for in-process
 * requests. Reads no environment; logs nothing and sheds no load unless asked.
 *
 * @example const bff = await createTestBff(AppModule, DEFAULTS, { upstreams: { catalog: { urls: [upstream.url] } } });
 */
export async function createTestBff(
  appModule: Type<unknown> | DynamicModule,
  defaults: GatewayConfigInput,
  overrides: Record<string, unknown> = {},
): Promise<TestBff> {
  // No load shedding unless a spec asks: a spec process blocks its own event loop loading modules (over a
  // second on a busy machine), which would read as overload and shed the spec's first requests.
  const merged = deepMerge(deepMerge(defaults, { observability: { logLevel: 'silent' }, overload: { enabled: false } }), overrides) as GatewayConfigInput;
  const { app, config } = await createBffApp(appModule, { defaults: merged, env: {} });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const management = app.get(ManagementServer).fastify;
  return { app, config, inject: app.inject.bind(app), injectManagement: management.inject.bind(management), close: () => app.close() };
}
