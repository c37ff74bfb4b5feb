import type { UpstreamClient } from '../../upstream';
import type { LiveSource } from './live-source.interface';
import { reconnectingFeed } from './reconnecting-feed';

/** The inventory contract's server stream: the current stock of each sku asked for, then every change. */
export const WATCH_RPC = 'WatchAvailability';

interface Availability {
  sku?: unknown;
  stock?: unknown;
  available?: unknown;
  revision?: unknown;
  updatedAt?: unknown;
}

/**
 * `stock:<productId>` channels, one `WatchAvailability` stream per product
 * on the inventory upstream (gRPC, through its pipeline). The stream opens
 * with the current stock and goes on with each change; the sku's `revision`
 * tells a change from a repeat, so a reopened stream (a reconnect, or another
 * replica taking the feed over from the kept cursor) publishes nothing twice.
 *
 * @example const source = stockWatchSource(upstreams.get('inventory'), 500);
 */
export function stockWatchSource(client: UpstreamClient, reconnectMs: number): LiveSource {
  return {
    kind: 'stock',
    retainsLatest: true,
    feedOf: (channel) => channel,
    open(feed, sink, cursor) {
      const sku = feed.slice('stock:'.length);
      let revision = cursor !== undefined && /^\d{1,15}$/.test(cursor) ? Number(cursor) : -1;
      let delivered = false;
      const connect = async (stop: AbortSignal) => {
        delivered = false;
        const stream = await client.streamRpc<Availability>(WATCH_RPC, { skus: [sku] }, { signal: stop });
        for await (const message of stream) {
          const change = readAvailability(message, sku);
          if (!change || change.revision <= revision) continue;
          revision = change.revision;
          delivered = true;
          sink(feed, feed, JSON.stringify(change), String(change.revision));
        }
      };
      return reconnectingFeed(`stock ${sku} (${client.name})`, connect, reconnectMs, () => delivered);
    },
  };
}

/** What a client sees of one product's stock; anything malformed is skipped, never passed on. */
function readAvailability(message: Availability, sku: string) {
  const { stock, available, revision, updatedAt } = message;
  if (message.sku !== sku || typeof stock !== 'number' || !Number.isInteger(stock) || stock < 0) return undefined;
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) return undefined;
  const at = typeof updatedAt === 'string' && !Number.isNaN(Date.parse(updatedAt)) ? new Date(updatedAt).toISOString() : undefined;
  return { productId: sku, stock, available: typeof available === 'boolean' ? available : stock > 0, revision, ...(at ? { at } : {}) };
}
