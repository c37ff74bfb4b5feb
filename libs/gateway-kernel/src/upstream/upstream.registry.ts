import { Inject, Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import { ResponseCacheStore } from '../caching/response-cache-store.interface';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { UpstreamClient } from './upstream-client';

/**
 * Every configured upstream, built once at start; its connections close at shutdown.
 *
 * @example constructor(private readonly upstreams: UpstreamRegistry) {}
 */
@Injectable()
export class UpstreamRegistry implements OnApplicationShutdown {
  private readonly clients = new Map<string, UpstreamClient>();

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    @Optional() @Inject(ResponseCacheStore) cacheStore?: ResponseCacheStore,
  ) {
    for (const [name, upstream] of Object.entries(config.upstreams)) {
      this.clients.set(name, new UpstreamClient(name, upstream, cacheStore));
    }
  }

  /** The named upstream; an unknown name is a programming error caught at start by route plans. */
  get(name: string): UpstreamClient {
    const client = this.clients.get(name);
    if (!client) throw new Error(`unknown upstream "${name}" (configured: ${[...this.clients.keys()].join(', ')})`);
    return client;
  }

  all(): UpstreamClient[] {
    return [...this.clients.values()];
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.all().map((client) => client.close()));
  }
}
