import type { UpstreamClient } from '../../upstream';
import { reconnectingFeed } from './reconnecting-feed';
import type { LiveSource } from './live-source.interface';
import { sseParser } from './sse-parser';

/** The orders service's change feed: Server-Sent Events of `{ orderId, userId, status, at }`, resumable with `Last-Event-ID`. */
export const ORDERS_FEED_PATH = '/orders/changes';

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const STATUS = /^[a-z_]{1,32}$/;

/**
 * `orders:<userId>` channels, all served by one subscription to the orders
 * upstream's change feed (through its pipeline: balancing, breaker, context
 * headers). Each change is checked and cut to what a client may see
 * (`{ orderId, status, at }`) before it is published, once, on its user's channel.
 *
 * @example const source = ordersFeedSource(upstreams.get('orders'), 500);
 */
export function ordersFeedSource(client: UpstreamClient, reconnectMs: number): LiveSource {
  return {
    kind: 'orders',
    feedOf: () => 'orders',
    open(feed, sink, cursor) {
      let delivered = false;
      let last = cursor;
      const connect = async (stop: AbortSignal) => {
        delivered = false;
        const response = await client.send({
          method: 'GET',
          path: ORDERS_FEED_PATH,
          headers: { accept: 'text/event-stream', ...(last ? { 'last-event-id': last } : {}) },
          idempotent: true,
          signal: stop,
        });
        if (response.statusCode !== 200) {
          await response.body.dump();
          throw new Error(`orders change feed answered ${response.statusCode}`);
        }
        const body = response.body;
        // The pipeline lets go of the signal once headers are in: the stream itself is ended on close.
        const end = () => body.destroy();
        stop.addEventListener('abort', end, { once: true });
        const parse = sseParser(({ id, data }) => {
          const change = readChange(data);
          if (id) last = id;
          if (!change) return;
          delivered = true;
          sink(`orders:${change.userId}`, 'orders', JSON.stringify({ orderId: change.orderId, status: change.status, at: change.at }), id);
        });
        body.setEncoding('utf8');
        try {
          for await (const chunk of body) parse(chunk as string);
        } finally {
          stop.removeEventListener('abort', end);
        }
      };
      return reconnectingFeed(`orders (${client.name})`, connect, reconnectMs, () => delivered);
    },
  };
}

interface OrderChange {
  orderId: string;
  userId: string;
  status: string;
  at: string;
}

/** The change, or undefined when the upstream sent something else (it is skipped, never passed on). */
function readChange(data: string): OrderChange | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  const change = value as Partial<OrderChange> | null;
  if (typeof change !== 'object' || change === null) return undefined;
  const { orderId, userId, status, at } = change;
  if (typeof orderId !== 'string' || !ID.test(orderId) || typeof userId !== 'string' || !ID.test(userId)) return undefined;
  if (typeof status !== 'string' || !STATUS.test(status)) return undefined;
  const when = typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? new Date(at).toISOString() : new Date().toISOString();
  return { orderId, userId, status, at: when };
}
