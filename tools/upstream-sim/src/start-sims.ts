import type { SimAppOptions } from './app/create-sim-app';
import { SERVICE_NAMES, type ServiceName } from './app/service-names';
import type { InventoryTls } from './inventory/start-inventory';
import { type RunningService, startService } from './start-service';

export interface StartSimsOptions {
  /** Which services to start; default all six. */
  services?: readonly ServiceName[];
  /** Per-service port; a missing entry uses the default (4000..4005); 0 picks a free port. */
  ports?: Partial<Record<ServiceName, number>>;
  host?: string;
  logger?: boolean;
  identity?: SimAppOptions['identity'];
  /** inventory serves gRPC over TLS with this certificate (PEM) instead of plaintext HTTP/2. */
  inventoryTls?: InventoryTls;
}

export interface RunningSims {
  /** Bound URL of each started service. */
  urls: Partial<Record<ServiceName, string>>;
  services: Partial<Record<ServiceName, RunningService>>;
  close(): Promise<void>;
}

/**
 * Starts several services at once; if one fails to start, the others are
 * closed again and the error names the one that failed.
 *
 * @example const sims = await startSims({ ports: { identity: 0, catalog: 0 }, services: ['identity', 'catalog'] });
 */
export async function startSims(options: StartSimsOptions = {}): Promise<RunningSims> {
  const names = SERVICE_NAMES.filter((name) => (options.services ?? SERVICE_NAMES).includes(name));
  const unknown = (options.services ?? []).filter((name) => !(SERVICE_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown sim services: ${unknown.join(', ')}; known: ${SERVICE_NAMES.join(', ')}`);

  const results = await Promise.allSettled(
    names.map((name) =>
      startService(name, { port: options.ports?.[name], host: options.host, logger: options.logger, identity: options.identity, tls: options.inventoryTls }),
    ),
  );
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((s) => s.close()));
    throw failed.reason;
  }

  const urls: RunningSims['urls'] = {};
  const services: RunningSims['services'] = {};
  for (const service of started) {
    urls[service.name] = service.url;
    services[service.name] = service;
  }
  return { urls, services, close: async () => void (await Promise.all(started.map((s) => s.close()))) };
}
