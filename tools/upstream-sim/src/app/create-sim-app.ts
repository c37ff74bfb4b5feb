import Fastify, { type FastifyInstance } from 'fastify';
import type { FaultConfigInput } from '../faults/fault-config';
import { FaultController } from '../faults/fault-controller';
import { parseGrpcFaultConfig } from '../inventory/grpc-fault-config';
import { registerFaults } from '../faults/faults.plugin';
import type { IdentityOptions } from '../services/service-context';
import { SERVICE_ROUTES } from '../services/service-registry';
import { RequestStats } from '../stats/request-stats';
import { registerStats } from '../stats/stats.plugin';
import { simErrorHandler, simNotFoundHandler } from './error-handler';
import { sendJson } from './http-replies';
import { INTERNAL_ROUTE } from './route-config';
import type { ServiceName } from './service-names';
import { SimInstance } from './sim-instance';

export interface SimAppOptions {
  /** Faults active from the first request. */
  faults?: FaultConfigInput;
  /** Fastify request logging; off by default (the sim sits under benchmarks). */
  logger?: boolean;
  /** Token settings; used by the identity service only. */
  identity?: IdentityOptions;
}

export interface SimApp {
  app: FastifyInstance;
  instance: SimInstance;
  faults: FaultController;
  stats: RequestStats;
}

const HEALTH_JSON = JSON.stringify({ status: 'ok' });

/**
 * One service's server, not yet listening. On a service route the hooks run
 * in this order: `x-sim-instance` header, stats, faults, then the handler.
 * Control routes (`/__sim/*`, `/health`) get only the header.
 */
export async function createSimApp(name: ServiceName, options: SimAppOptions = {}): Promise<SimApp> {
  const instance = new SimInstance(name);
  const faults = new FaultController(options.faults ?? {}, name === 'inventory' ? parseGrpcFaultConfig : undefined);
  const stats = new RequestStats();
  const app = Fastify({ logger: options.logger ?? false, keepAliveTimeout: 65_000 });

  app.setErrorHandler(simErrorHandler);
  app.addHook('onRequest', (_request, reply, done) => {
    reply.header('x-sim-instance', instance.label);
    done();
  });
  const countUnrouted = registerStats(app, stats);
  app.setNotFoundHandler({ preValidation: countUnrouted }, simNotFoundHandler);
  registerFaults(app, faults, instance);
  app.get('/health', INTERNAL_ROUTE, async (_request, reply) => sendJson(reply, 200, HEALTH_JSON));

  await SERVICE_ROUTES[name](app, { instance, identity: options.identity ?? {} });
  return { app, instance, faults, stats };
}
