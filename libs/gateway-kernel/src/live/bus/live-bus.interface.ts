import type { LiveEvent } from '../live-event';

/** What a client that reconnects with `Last-Event-ID` missed: the events after it, or `gap` when some are past the window. */
export interface Replay {
  readonly events: LiveEvent[];
  /** Events after the client's id are no longer kept (or the id is unknown): it should refetch what it shows. */
  readonly gap: boolean;
}

/** How an event is published: the feed's upstream position it moves to, and whether it is its channel's latest state. */
export interface PublishOptions {
  readonly cursor?: { readonly feed: string; readonly value: string };
  /** Keep it as the channel's latest (see `LiveSource.retainsLatest`), for as long as the feed's cursor is kept. */
  readonly retain?: boolean;
}

/** Who holds an upstream feed: with Redis one replica of all, in memory this one. */
export interface FeedLease {
  /** Stops trying for the lease, and gives it up if held. */
  release(): void;
}

/**
 * The hub's channels between replicas: ids events, keeps the replay window,
 * delivers each event to every replica that listens to its channel, and
 * decides which replica holds each upstream feed. In memory for one process
 * (`MemoryLiveBus`), through Redis pub/sub when `REDIS_URL` is set (`RedisLiveBus`).
 *
 * @example bus.listen('orders:u1'); bus.publish('orders:u1', 'orders', '{"orderId":"o1"}');
 */
export interface LiveBus {
  /** Where delivered events go (the hub). */
  onEvent(handler: (event: LiveEvent) => void): void;
  /** Gives an event its id, keeps it for replay and delivers it on its channel (on every replica). */
  publish(channel: string, topic: string, data: string, options?: PublishOptions): void;
  /** The latest retained event of each of `channels` that has one (any replica's). */
  latest(channels: readonly string[]): Promise<LiveEvent[]>;
  /** This replica wants a channel's events / no longer does. */
  listen(channel: string): void;
  unlisten(channel: string): void;
  /** The events of `channels` after `afterId`, within the window. */
  replay(afterId: string, channels: ReadonlySet<string>): Promise<Replay>;
  /** Asks for a feed: `acquired` runs with its upstream cursor once this replica holds it, `lost` if it stops holding it. */
  lease(feed: string, acquired: (cursor?: string) => void, lost: () => void): FeedLease;
  close(): Promise<void>;
}
