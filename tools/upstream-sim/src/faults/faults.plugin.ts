import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, onRequestHookHandler } from 'fastify';
import { INTERNAL_ROUTE } from '../app/route-config';
import { onServiceRoutes } from '../app/route-hooks';
import type { SimInstance } from '../app/sim-instance';
import { type FaultConfig, FaultConfigError } from './fault-config';
import type { FaultController } from './fault-controller';
import { GARBAGE_BODY, internalErrorBody, PARTIAL_HEAD } from './fault-responses';
import { HeldRequests } from './held-requests';

/**
 * Fault injection on every service route (not on control routes, nor on
 * paths no route matches): an onRequest hook that returns at once while no
 * faults are set, plus `GET|PUT|DELETE /__sim/faults`. Call it on the root
 * instance before the service's routes are added.
 */
export function registerFaults(app: FastifyInstance, faults: FaultController, instance: SimInstance): void {
  const held = new HeldRequests();
  const errorBody = internalErrorBody(instance.name);

  function outcome(config: FaultConfig, request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    if (config.errorRate < 1 && Math.random() >= config.errorRate) return done();
    const socket = request.raw.socket;
    switch (config.mode) {
      case 'ok':
        reply.code(config.status).type('application/json; charset=utf-8').send(errorBody);
        return;
      case 'garbage':
        reply.code(200).type('application/json; charset=utf-8').send(GARBAGE_BODY);
        return;
      case 'down':
        reply.hijack();
        socket.destroy();
        return;
      case 'reset':
        reply.hijack();
        socket.write(PARTIAL_HEAD, () => socket.resetAndDestroy());
        return;
      case 'hang':
        reply.hijack();
        held.hang(socket);
        return;
    }
  }

  const faultHook: onRequestHookHandler = (request, reply, done) => {
    const config = faults.active;
    if (config === null) return done();
    if (config.routes.length > 0 && !config.routes.some((prefix) => request.url.startsWith(prefix))) return done();
    const delay = config.latencyMs + (config.jitterMs > 0 ? Math.random() * config.jitterMs : 0);
    if (delay > 0) held.delay(request.raw.socket, delay, () => outcome(config, request, reply, done));
    else outcome(config, request, reply, done);
  };
  onServiceRoutes(app, () => faultHook);

  app.addHook('preClose', (done) => {
    held.destroyAll();
    done();
  });

  app.get('/__sim/faults', INTERNAL_ROUTE, async () => faults.current);

  app.put('/__sim/faults', INTERNAL_ROUTE, async (request, reply) => {
    try {
      return faults.set(request.body);
    } catch (error) {
      if (error instanceof FaultConfigError) return reply.code(400).send({ error: 'invalid_request', message: error.message });
      throw error;
    }
  });

  app.delete('/__sim/faults', INTERNAL_ROUTE, async () => faults.reset());
}
