import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { GatewayConfig, ShutdownConfig } from '../config';
import { ShutdownState } from '../shutdown';

/** How often connections left idle by a finished in-flight request are closed while the app closes. */
const REAP_IDLE_EVERY_MS = 100;

/**
 * SIGTERM/SIGINT: drains and closes the app (see drainAndClose), then exits
 * 0; if that overruns the grace period (counted from the signal) the process
 * exits 1 anyway. A second signal changes nothing: the first one's clock runs.
 */
export function installGracefulShutdown(app: NestFastifyApplication, config: GatewayConfig): void {
  const logger = new Logger('Shutdown');
  let started = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (started) return;
    started = true;
    const { drainDelayMs, gracePeriodMs } = config.shutdown;
    logger.log(`${signal}: draining for ${drainDelayMs}ms, grace ${gracePeriodMs}ms`);
    const force = setTimeout(() => {
      logger.error(`grace period of ${gracePeriodMs}ms over, exiting with requests still open`);
      process.exit(1);
    }, gracePeriodMs);
    force.unref();
    drainAndClose(app, config.shutdown).then(
      () => {
        logger.log('closed cleanly');
        process.exit(0);
      },
      (error: Error) => {
        logger.error(`close failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/**
 * The shutdown itself, without the process around it:
 * 1. readiness turns 503 at once, so load balancers stop sending new requests;
 * 2. for `drainDelayMs` the app keeps serving (balancers take a while to
 *    notice), but every response now carries `Connection: close`, so
 *    keep-alive clients reconnect to another replica;
 * 3. then the listener closes (a request arriving meanwhile gets 503), every
 *    request in flight is answered, and Nest's shutdown hooks close the
 *    upstream pools and Redis.
 * Node closes idle keep-alive connections only once, when close begins; a
 * connection whose request was still in flight would then hold the server
 * open until its keep-alive timeout, so idle ones are closed as they appear.
 *
 * @example await drainAndClose(app, { drainDelayMs: 5000, gracePeriodMs: 25000 });
 */
export async function drainAndClose(app: NestFastifyApplication, shutdown: Pick<ShutdownConfig, 'drainDelayMs'>): Promise<void> {
  app.get(ShutdownState).beginDrain();
  const server = app.getHttpServer() as Server;
  const askToReconnect = (request: IncomingMessage, response: ServerResponse) => {
    // HTTP/2 has no Connection header; its sessions get GOAWAY when the server closes.
    if (request.httpVersionMajor < 2 && !response.headersSent) response.setHeader('connection', 'close');
  };
  server.prependListener('request', askToReconnect);
  await new Promise((resolve) => setTimeout(resolve, shutdown.drainDelayMs));

  const reaper =
    typeof server.closeIdleConnections === 'function'
      ? setInterval(() => server.closeIdleConnections(), REAP_IDLE_EVERY_MS)
      : undefined;
  try {
    await app.close();
  } finally {
    clearInterval(reaper);
    server.off('request', askToReconnect);
  }
}
