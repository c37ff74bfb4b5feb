import { compareEventIds, eventFrame, type LiveEvent } from '../live-event';
import type { FeedLease, LiveBus, Replay } from './live-bus.interface';

/**
 * One process: ids are `<start ms>-<sequence>` (a restarted process starts a
 * later series, so an old id reads as a gap), the window is a ring of the
 * last `replayEvents`, every lease is granted at once.
 *
 * @example const bus = new MemoryLiveBus(1000);
 */
export class MemoryLiveBus implements LiveBus {
  private readonly epoch = Date.now();
  private seq = 0;
  private readonly ring: LiveEvent[] = [];
  private next = 0;
  private readonly cursors = new Map<string, string>();
  private handler: (event: LiveEvent) => void = () => undefined;

  constructor(private readonly replayEvents: number) {}

  onEvent(handler: (event: LiveEvent) => void): void {
    this.handler = handler;
  }

  publish(channel: string, topic: string, data: string, cursor?: { feed: string; value: string }): void {
    const id = `${this.epoch}-${++this.seq}`;
    const event = { id, channel, frame: eventFrame(id, topic, data) };
    if (this.replayEvents > 0) {
      if (this.ring.length < this.replayEvents) this.ring.push(event);
      else this.ring[this.next] = event;
      this.next = (this.next + 1) % this.replayEvents;
    }
    if (cursor) this.cursors.set(cursor.feed, cursor.value);
    this.handler(event);
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
