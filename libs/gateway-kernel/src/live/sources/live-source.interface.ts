/** Where a feed's events go: the hub publishes each on its channel. `cursor` is the upstream's own position, to resume from. */
export type LiveFeedSink = (channel: string, topic: string, data: string, cursor?: string) => void;

/** An open upstream feed; closing it ends the upstream subscription. */
export interface LiveFeed {
  close(): void;
}

/**
 * An upstream that pushes events for some channels (`orders:*`, `stock:*`).
 * Several channels may share one feed (every user's orders come down one
 * change feed), so the hub asks which feed serves a channel and opens each
 * feed once per replica, however many clients and channels it serves. A new
 * source is one file and one entry in `LIVE_SOURCES` (`live.module.ts`).
 *
 * @example const source: LiveSource = { kind: 'orders', feedOf: () => 'orders', open: (feed, sink) => ({ close() {} }) };
 */
export interface LiveSource {
  /** The channel prefix it serves: `orders` for `orders:u1`. */
  readonly kind: string;
  /**
   * A channel of it carries a state (a product's stock), not changes: its
   * latest event is kept, and a client that starts following the channel gets
   * it first, as the feed's first listener got it when the feed opened.
   */
  readonly retainsLatest?: boolean;
  /** The feed serving a channel of this kind. */
  feedOf(channel: string): string;
  /**
   * Opens a feed, from `cursor` when one was kept (a lost connection, or
   * another replica that held the feed before). The feed reconnects by itself
   * until closed; events go to `sink`.
   */
  open(feed: string, sink: LiveFeedSink, cursor?: string): LiveFeed;
}
