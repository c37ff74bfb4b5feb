import { Server, ServerCredentials } from '@grpc/grpc-js';
import { createSimApp, type SimAppOptions } from '../app/create-sim-app';
import { serviceUrl } from '../app/service-url';
import type { RunningService } from '../start-service';
import { GrpcCallFaults, withGarbageResponses } from './grpc-call-faults';
import { inventoryHandlers } from './inventory.handlers';
import { loadInventoryService } from './inventory-proto';
import { SharedPort } from './shared-port';
import { StockLedger } from './stock-ledger';
import { registerStockRoutes } from './stock-routes';

/** Loaded once per process: every instance serves the same contract. */
let service: ReturnType<typeof withGarbageResponses> | undefined;

/** A server certificate (chain) and its private key, PEM. */
export interface InventoryTls {
  cert: Buffer;
  key: Buffer;
}

/**
 * The inventory sim: gRPC (`inventory.v1.Inventory`) and its HTTP/1.1
 * control routes on one port. `url` is `http://host:port`: a gRPC client
 * dials `host:port` without TLS, and `/__sim/*` answer at the same URL.
 * With `tls`, gRPC is served over TLS only (dial `https://host:port`; the
 * client must trust the certificate's CA); the control routes stay plain.
 */
export async function startInventory(options: SimAppOptions & { host: string; port: number; tls?: InventoryTls }): Promise<RunningService> {
  service ??= withGarbageResponses(loadInventoryService());
  const { app, instance, faults, stats } = await createSimApp('inventory', options);
  const ledger = new StockLedger();
  registerStockRoutes(app, ledger);
  const callFaults = new GrpcCallFaults(faults);
  const grpc = new Server();
  grpc.addService(service, inventoryHandlers({ ledger, faults: callFaults, stats, instance }));
  const credentials = options.tls
    ? ServerCredentials.createSsl(null, [{ cert_chain: options.tls.cert, private_key: options.tls.key }], false)
    : ServerCredentials.createInsecure();
  const injector = grpc.createConnectionInjector(credentials);
  await app.ready();

  const port = new SharedPort(app.server, injector, () => faults.active, options.tls !== undefined);
  faults.onChange((active) => port.faultOpenConnections(active));
  let bound: number;
  try {
    bound = await port.listen(options.host, options.port);
  } catch (error) {
    await app.close();
    throw new Error(`sim inventory could not listen on ${options.host}:${options.port}: ${(error as Error).message}`, { cause: error });
  }
  instance.bind(serviceUrl(options.host, bound), bound);

  let closing: Promise<void> | undefined;
  const close = async () => {
    callFaults.releaseAll();
    injector.destroy();
    grpc.forceShutdown();
    await port.close();
    await app.close();
  };
  return { name: 'inventory', url: instance.url, port: bound, faults, stats, ledger, close: () => (closing ??= close()) };
}
