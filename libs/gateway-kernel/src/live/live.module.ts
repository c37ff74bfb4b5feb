import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type Redis from 'ioredis';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { ProblemResponder } from '../errors';
import { RequestPolicy } from '../policy';
import { REDIS_CLIENT } from '../redis';
import { ShutdownState } from '../shutdown';
import { UpstreamRegistry } from '../upstream';
import type { LiveBus } from './bus/live-bus.interface';
import { MemoryLiveBus } from './bus/memory-live.bus';
import { RedisLiveBus } from './bus/redis-live.bus';
import type { ConnectionLedger } from './ledger/connection-ledger.interface';
import { MemoryConnectionLedger } from './ledger/memory-connection.ledger';
import { RedisConnectionLedger } from './ledger/redis-connection.ledger';
import { LiveHub } from './live-hub';
import type { LiveModuleOptions } from './live-module-options.interface';
import { CONNECTION_PLACE_HEARTBEATS, LIVE_MODULE_OPTIONS } from './live.constants';
import { LIVE_SOURCES } from './sources/live-sources';
import type { LiveSource } from './sources/live-source.interface';
import { registerSseLiveRoute } from './transports/sse-live.route';
import { registerWebSocketLiveRoute } from './transports/websocket-live.route';

/** Puts the live route on Fastify at start, ties the hub to the drain, and closes it with the app. */
@Injectable()
class LiveRouteRegistrar implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(LIVE_MODULE_OPTIONS) private readonly options: LiveModuleOptions,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly adapterHost: HttpAdapterHost,
    private readonly requestPolicy: RequestPolicy,
    private readonly hub: LiveHub,
    private readonly shutdown: ShutdownState,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const { path, transport, throttle, scopes } = this.options;
    const policy = this.requestPolicy.resolve({ id: `live:${path}`, paths: [path], auth: { scopes: scopes ?? [] }, throttle });
    const deps = { hub: this.hub, config: this.config, requestPolicy: this.requestPolicy, policy, responder: new ProblemResponder(this.config.problemTypeBase) };
    if (transport === 'websocket') registerWebSocketLiveRoute(fastify, path, deps);
    else registerSseLiveRoute(fastify, path, deps);
    // Live connections would hold the listener open: they are told to reconnect elsewhere as soon as the drain begins.
    this.shutdown.onDrain(() => this.hub.drain());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.hub.close();
  }
}

/**
 * Live updates for one app: a WebSocket or Server-Sent Events endpoint fed
 * by the hub (one upstream subscription per feed per replica; across
 * replicas through Redis pub/sub when `REDIS_URL` is set, which then also
 * counts each user's connections on every replica). Topics: `orders`
 * (the caller's own) and `stock:<productId>`, each offered when its source's
 * upstream is configured.
 *
 * @example LiveModule.forRoot({ path: '/api/live', transport: 'websocket' })
 */
@Module({})
export class LiveModule {
  static forRoot(options: LiveModuleOptions): DynamicModule {
    return {
      module: LiveModule,
      providers: [
        { provide: LIVE_MODULE_OPTIONS, useValue: options },
        {
          provide: LiveHub,
          inject: [GATEWAY_CONFIG, UpstreamRegistry, LIVE_MODULE_OPTIONS, { token: REDIS_CLIENT, optional: true }],
          useFactory: (config: GatewayConfig, upstreams: UpstreamRegistry, opts: LiveModuleOptions, redis?: Redis) =>
            new LiveHub(config.live, liveBus(config, redis), liveSources(config, upstreams, opts), config.app, connectionLedger(config, redis)),
        },
        LiveRouteRegistrar,
      ],
      exports: [LiveHub],
    };
  }
}

function liveBus(config: GatewayConfig, redis: Redis | undefined): LiveBus {
  const { replayEvents, leaseMs } = config.live;
  return redis ? new RedisLiveBus(redis, config.redis?.keyPrefix ?? '', replayEvents, leaseMs) : new MemoryLiveBus(replayEvents);
}

/** Connections per user counted with the bus's Redis when there is one, so the cap holds across replicas. */
function connectionLedger(config: GatewayConfig, redis: Redis | undefined): ConnectionLedger {
  const { maxConnectionsPerUser, heartbeatMs } = config.live;
  if (!redis) return new MemoryConnectionLedger(maxConnectionsPerUser);
  return new RedisConnectionLedger(redis, config.redis?.keyPrefix ?? '', maxConnectionsPerUser, heartbeatMs * CONNECTION_PLACE_HEARTBEATS);
}

function liveSources(config: GatewayConfig, upstreams: UpstreamRegistry, options: LiveModuleOptions): LiveSource[] {
  return [...LIVE_SOURCES, ...(options.sources ?? [])]
    .map((create) => create(config, upstreams))
    .filter((source): source is LiveSource => source !== null);
}

