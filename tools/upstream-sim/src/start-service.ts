import type { AddressInfo } from 'node:net';
import { createSimApp, type SimAppOptions } from './app/create-sim-app';
import { DEFAULT_HOST, DEFAULT_PORTS, isServiceName, type ServiceName } from './app/service-names';
import { serviceUrl } from './app/service-url';
import type { FaultController } from './faults/fault-controller';
import { type InventoryTls, startInventory } from './inventory/start-inventory';
import type { StockLedger } from './inventory/stock-ledger';
import type { RequestStats } from './stats/request-stats';

export interface StartServiceOptions extends SimAppOptions {
  /** Default: the service's fixed port (4000..4005); 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** inventory only: serve gRPC over TLS with this certificate (the control routes stay plain HTTP/1.1). */
  tls?: InventoryTls;
}

export interface RunningService {
  name: ServiceName;
  /** The bound URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** In-process handles on what `/__sim/faults` and `/__sim/stats` expose over HTTP. */
  faults: FaultController;
  stats: RequestStats;
  /** inventory only: its stock, as `/__sim/stock/:sku` changes it. */
  ledger?: StockLedger;
  /** Stops listening; hung and delayed requests are cut. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts one simulated service on its own server (inventory: gRPC and its
 * control routes on one port).
 *
 * @example const catalog = await startService('catalog', { port: 0 }); await catalog.close();
 */
export async function startService(name: ServiceName, options: StartServiceOptions = {}): Promise<RunningService> {
  if (!isServiceName(name)) throw new Error(`unknown sim service "${String(name)}"`);
  const host = options.host ?? DEFAULT_HOST;
  if (name === 'inventory') return startInventory({ ...options, host, port: options.port ?? DEFAULT_PORTS[name] });
  const { app, instance, faults, stats } = await createSimApp(name, options);
  try {
    await app.listen({ host, port: options.port ?? DEFAULT_PORTS[name] });
  } catch (error) {
    await app.close();
    throw new Error(`sim ${name} could not listen on ${host}:${options.port ?? DEFAULT_PORTS[name]}: ${(error as Error).message}`, { cause: error });
  }
  const { port } = app.server.address() as AddressInfo;
  instance.bind(serviceUrl(host, port), port);
  let closing: Promise<void> | undefined;
  return {
    name,
    url: instance.url,
    port,
    faults,
    stats,
    close: () => (closing ??= app.close().then(() => undefined)),
  };
}
