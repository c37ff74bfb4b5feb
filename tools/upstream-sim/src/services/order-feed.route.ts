import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OrderChange, OrderChangeFeed } from '../data/order-changes';

/** A comment line this often, so a subscriber (and any proxy between) sees the feed is alive while nothing changes. */
export const FEED_HEARTBEAT_MS = 1_000;

/**
 * `GET /orders/changes`: every order status change as a Server-Sent Event
 * (`id:` the change id, `data:` `{ orderId, userId, status, at }`). A
 * subscriber sending `Last-Event-ID` first gets the kept changes after it.
 */
export function serveChangeFeed(feed: OrderChangeFeed, request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-sim-instance': String(reply.getHeader('x-sim-instance') ?? ''),
  });
  const write = (change: OrderChange) => raw.write(`id: ${change.id}\ndata: ${change.json}\n\n`);
  const lastId = Number(request.headers['last-event-id']);
  raw.write(': feed\n\n');
  for (const change of feed.since(lastId)) write(change);
  const stop = feed.listen(write);
  const heartbeat = setInterval(() => raw.write(': hb\n\n'), FEED_HEARTBEAT_MS);
  const close = () => {
    clearInterval(heartbeat);
    stop();
  };
  request.raw.on('close', close);
  raw.on('close', close);
}
