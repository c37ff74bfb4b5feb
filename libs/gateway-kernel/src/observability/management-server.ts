import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { register } from 'prom-client';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';

/**
 * The management listener: `GET /metrics` on `http.managementPort`, apart from
 * the clients' port, so series (routes, upstream names, limits, process
 * figures) are reachable only where the platform scrapes them (a port the
 * Service and ingress never expose). Its own small Fastify instance: no auth,
 * limits, load shedding or access log of the public path apply, and nothing
 * of the public path can reach it. Made at start; it listens only when
 * `listen()` is called (runBff does, when the port is not 0).
 *
 * @example await app.get(ManagementServer).listen(); // http://host:9101/metrics
 */
@Injectable()
export class ManagementServer implements OnApplicationShutdown {
  /** The instance, for in-process requests in tests: `management.fastify.inject({ url: '/metrics' })`. */
  readonly fastify: FastifyInstance;
  private listening = false;

  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {
    this.fastify = Fastify({
      logger: false,
      requestTimeout: config.http.requestTimeoutMs,
      connectionTimeout: config.http.connectionTimeoutMs,
      keepAliveTimeout: config.http.keepAliveTimeoutMs,
      bodyLimit: 1_024,
    });
    this.fastify.get('/metrics', async (_request, reply) => {
      reply.header('content-type', register.contentType).header('cache-control', 'no-store');
      return register.metrics();
    });
  }

  /** Listens on `http.managementPort` (on `http.host`); returns the port, or undefined when it is 0 (off). */
  async listen(): Promise<number | undefined> {
    const { managementPort, host } = this.config.http;
    if (managementPort === 0) return undefined;
    await this.fastify.listen({ port: managementPort, host });
    this.listening = true;
    const port = (this.fastify.server.address() as AddressInfo).port;
    new Logger('Management').log(`metrics on http://${host}:${port}/metrics`);
    return port;
  }

  async onApplicationShutdown(): Promise<void> {
    // Last, so a scrape during the drain still sees the final figures.
    if (this.listening) await this.fastify.close();
  }
}
