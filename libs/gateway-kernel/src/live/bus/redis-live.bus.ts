import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import { compareEventIds, eventFrame, frameId, type LiveEvent } from '../live-event';
import { FEED_STATE_TTL_MS } from '../live.constants';
import type { FeedLease, LiveBus, PublishOptions, Replay } from './live-bus.interface';
import { LEASE_SCRIPT, PUBLISH_SCRIPT, RELEASE_SCRIPT } from './redis-live.scripts';

type Scripted = Redis & {
  livePublish(log: string, cursorKey: string, latestKey: string, ...argv: (string | number)[]): Promise<string>;
  liveLease(lease: string, cursorKey: string, replica: string, ms: number): Promise<[number, string | null]>;
  liveRelease(lease: string, replica: string): Promise<number>;
};

/**
 * Every replica's hub on one Redis: an event goes into one stream (its id is
 * the stream id, the stream's length is the replay window, shared, so an SSE
 * client resumes on any replica) and out through pub/sub on its channel, to
 * every replica that listens. One replica of all holds each upstream feed,
 * under a lease renewed at a third of `leaseMs`; when it stops (or dies) another
 * that has listeners takes the feed over from the cursor the last one left.
 * Keys share the `{live}` hash tag, so the scripts run on Redis Cluster too.
 *
 * Delivery is at most once: an event published while Redis is away is lost
 * (clients resuming with `Last-Event-ID` see the gap).
 *
 * @example const bus = new RedisLiveBus(redis, 'gw:', 1000, 5000);
 */
export class RedisLiveBus implements LiveBus {
  private readonly log = new Logger('Live');
  private readonly replica = randomBytes(8).toString('hex');
  private readonly redis: Scripted;
  private readonly subscriber: Redis;
  private readonly logKey: string;
  private readonly head: string;
  private handler: (event: LiveEvent) => void = () => undefined;
  private readonly leases = new Set<NodeJS.Timeout>();

  constructor(
    redis: Redis,
    keyPrefix: string,
    private readonly replayEvents: number,
    private readonly leaseMs: number,
  ) {
    this.head = `${keyPrefix}{live}:`;
    this.logKey = `${this.head}log`;
    redis.defineCommand('livePublish', { numberOfKeys: 3, lua: PUBLISH_SCRIPT });
    redis.defineCommand('liveLease', { numberOfKeys: 2, lua: LEASE_SCRIPT });
    redis.defineCommand('liveRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
    this.redis = redis as Scripted;
    // A subscribed connection can run nothing else; it queues while reconnecting and resubscribes by itself.
    this.subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined });
    this.subscriber.on('error', () => undefined);
    const channelHead = `${this.head}ch:`;
    this.subscriber.on('message', (name: string, frame: string) => {
      if (!name.startsWith(channelHead)) return;
      this.handler({ id: frameId(frame), channel: name.slice(channelHead.length), frame });
    });
  }

  onEvent(handler: (event: LiveEvent) => void): void {
    this.handler = handler;
  }

  publish(channel: string, topic: string, data: string, options?: PublishOptions): void {
    const cursor = options?.cursor;
    // Unused keys stand in as the log itself: every key a script touches is named, for Redis Cluster.
    const cursorKey = cursor ? this.cursorKey(cursor.feed) : this.logKey;
    const latestKey = options?.retain ? this.latestKey(channel) : this.logKey;
    this.redis
      .livePublish(
        this.logKey,
        cursorKey,
        latestKey,
        this.replayEvents,
        this.pubsub(channel),
        channel,
        JSON.stringify(topic),
        data,
        cursor?.value ?? '',
        FEED_STATE_TTL_MS,
        options?.retain ? '1' : '',
      )
      .catch((error: Error) => this.log.warn(`an event on ${channel} was not published: ${error.message}`));
  }

  async latest(channels: readonly string[]): Promise<LiveEvent[]> {
    if (channels.length === 0) return [];
    const frames = await this.redis.mget(channels.map((channel) => this.latestKey(channel)));
    const events: LiveEvent[] = [];
    frames.forEach((frame, i) => {
      if (frame !== null) events.push({ id: frameId(frame), channel: channels[i], frame });
    });
    return events;
  }

  listen(channel: string): void {
    this.subscriber.subscribe(this.pubsub(channel)).catch((error: Error) => this.log.warn(`subscribe ${channel}: ${error.message}`));
  }

  unlisten(channel: string): void {
    this.subscriber.unsubscribe(this.pubsub(channel)).catch(() => undefined);
  }

  async replay(afterId: string, channels: ReadonlySet<string>): Promise<Replay> {
    const results = await this.redis
      .multi()
      .xlen(this.logKey)
      .xrange(this.logKey, '-', '+', 'COUNT', 1)
      .xrevrange(this.logKey, '+', '-', 'COUNT', 1)
      .xrange(this.logKey, `(${afterId}`, '+', 'COUNT', Math.max(this.replayEvents, 1))
      .exec();
    if (!results) throw new Error('replay: transaction discarded');
    for (const [error] of results) if (error) throw error;
    const length = results[0][1] as number;
    const oldest = (results[1][1] as [string, string[]][])[0]?.[0];
    const newest = (results[2][1] as [string, string[]][])[0]?.[0];
    const entries = results[3][1] as [string, string[]][];
    // Ahead of everything kept (a flushed Redis), or behind the oldest of a full window: events were lost.
    const ahead = newest === undefined || compareEventIds(afterId, newest) > 0;
    const trimmed = oldest !== undefined && length >= this.replayEvents && compareEventIds(afterId, oldest) < 0;
    const events: LiveEvent[] = [];
    for (const [id, fields] of entries) {
      const channel = field(fields, 'c');
      if (channel === undefined || !channels.has(channel)) continue;
      events.push({ id, channel, frame: eventFrame(id, JSON.parse(field(fields, 't') ?? '""') as string, field(fields, 'd') ?? 'null') });
    }
    return { events, gap: ahead || trimmed };
  }

  lease(feed: string, acquired: (cursor?: string) => void, lost: () => void): FeedLease {
    const leaseKey = `${this.head}lease:${feed}`;
    const cursorKey = this.cursorKey(feed);
    let held = false;
    let released = false;
    const tick = () => {
      this.redis.liveLease(leaseKey, cursorKey, this.replica, this.leaseMs).then(
        ([status, cursor]) => {
          if (released) {
            if (status > 0) void this.redis.liveRelease(leaseKey, this.replica).catch(() => undefined);
            return;
          }
          if (status === 2 || (status === 1 && !held)) {
            held = true;
            acquired(cursor ?? undefined);
          } else if (status === 0 && held) {
            held = false;
            lost();
          }
        },
        (error: Error) => {
          // Without Redis nothing is delivered anyway; holding on could mean two replicas feeding once it is back.
          if (held && !released) {
            this.log.warn(`lease of feed ${feed} could not be renewed: ${error.message}`);
            held = false;
            lost();
          }
        },
      );
    };
    const timer = setInterval(tick, Math.max(Math.floor(this.leaseMs / 3), 100));
    timer.unref();
    this.leases.add(timer);
    tick();
    return {
      release: () => {
        released = true;
        clearInterval(timer);
        this.leases.delete(timer);
        if (held) {
          held = false;
          void this.redis.liveRelease(leaseKey, this.replica).catch(() => undefined);
        }
      },
    };
  }

  async close(): Promise<void> {
    for (const timer of this.leases) clearInterval(timer);
    this.leases.clear();
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  private pubsub(channel: string): string {
    return `${this.head}ch:${channel}`;
  }

  private latestKey(channel: string): string {
    return `${this.head}latest:${channel}`;
  }

  private cursorKey(feed: string): string {
    return `${this.head}cursor:${feed}`;
  }
}

function field(fields: string[], name: string): string | undefined {
  for (let i = 0; i < fields.length - 1; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}
