import { LRUCache } from 'lru-cache';
import { compareEventIds, eventFrame, type LiveEvent } from '../live-event';
import { FEED_STATE_TTL_MS, MAX_KEPT_FEEDS } from '../live.constants';
import type { FeedLease, LiveBus, PublishOptions, Replay } from './live-bus.interface';

/**
 * One process: ids are `<start ms>-<sequence>` (a restarted process starts a
 * later series, so an old id reads as a gap), the window is a ring of the
 * last `replayEvents`, every lease is granted at once; cursors and retained
 * events are kept as long as Redis would keep them (an hour unused), the
 * longest unused dropped first past `MAX_KEPT_FEEDS`.
 *
 * @example const bus = new MemoryLiveBus(1000);
 */
export class MemoryLiveBus implements LiveBus {
  private readonly epoch = Date.now();
  private seq = 0;
  private readonly ring: LiveEvent[] = [];
  private next = 0;
  private readonly cursors = new LRUCache<string, string>({ max: MAX_KEPT_FEEDS, ttl: FEED_STATE_TTL_MS });
  private readonly retained = new LRUCache<string, LiveEvent>({ max: MAX_KEPT_FEEDS, ttl: FEED_STATE_TTL_MS });
  private handler: (event: LiveEvent) => void = () => undefined;

  constructor(private readonly replayEvents: number) {}

  onEvent(handler: (event: LiveEvent) => void): void {
    this.handler = handler;
  }

  publish(channel: string, topic: string, data: string, options?: PublishOptions): void {
    const id = `${this.epoch}-${++this.seq}`;
    const event = { id, channel, frame: eventFrame(id, topic, data) };
    if (this.replayEvents > 0) {
      if (this.ring.length < this.replayEvents) this.ring.push(event);
      else this.ring[this.next] = event;
      this.next = (this.next + 1) % this.replayEvents;
    }
    if (options?.cursor) this.cursors.set(options.cursor.feed, options.cursor.value);
    if (options?.retain) this.retained.set(channel, event);
    this.handler(event);
  }

  async latest(channels: readonly string[]): Promise<LiveEvent[]> {
    const events: LiveEvent[] = [];
    for (const channel of channels) {
      const event = this.retained.get(channel);
      if (event) events.push(event);
    }
    return events;
  }

  listen(): void {
    // Every event is delivered in-process already: nothing to subscribe to.
  }

  unlisten(): void {
    // As listen.
  }

  async replay(afterId: string, channels: ReadonlySet<string>): Promise<Replay> {
    if (compareEventIds(afterId, `${this.epoch}-${this.seq}`) > 0) return { events: [], gap: true };
    const kept = this.ring.length < this.replayEvents ? this.ring : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    // An id before the oldest kept one (or from an earlier process) has lost events after it.
    const firstKept = this.seq - kept.length + 1;
    const gap = compareEventIds(afterId, `${this.epoch}-${firstKept - 1}`) < 0;
    return { events: kept.filter((e) => channels.has(e.channel) && compareEventIds(e.id, afterId) > 0), gap };
  }

  lease(feed: string, acquired: (cursor?: string) => void): FeedLease {
    acquired(this.cursors.get(feed));
    return { release: () => undefined };
  }

  async close(): Promise<void> {
    this.handler = () => undefined;
  }
}
