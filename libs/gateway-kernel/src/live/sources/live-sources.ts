import type { GatewayConfig } from '../../config';
import type { UpstreamRegistry } from '../../upstream';
import type { LiveSource } from './live-source.interface';
import { ordersFeedSource } from './orders-feed.source';
import { stockWatchSource } from './stock-watch.source';

/** Makes a source from the app's config and upstreams, or `null` when the app has no upstream for it. */
export type LiveSourceFactory = (config: GatewayConfig, upstreams: UpstreamRegistry) => LiveSource | null;

/**
 * Every source the kernel knows, each offered when its upstream is configured:
 * `orders` from the orders upstream's change feed, `stock` from the inventory
 * upstream's gRPC watch. A new source is one file and one entry here.
 */
export const LIVE_SOURCES: readonly LiveSourceFactory[] = [
  (config, upstreams) => (config.upstreams['orders'] ? ordersFeedSource(upstreams.get('orders'), config.live.reconnectMs) : null),
  (config, upstreams) =>
    config.upstreams['inventory']?.protocol === 'grpc' ? stockWatchSource(upstreams.get('inventory'), config.live.reconnectMs) : null,
];
