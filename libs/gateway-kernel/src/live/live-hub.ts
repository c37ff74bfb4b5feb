import { Logger } from '@nestjs/common';
import { MAX_TIMER_MS, type LiveConfig } from '../config';
import { ErrorCode, GatewayError } from '../errors';
import type { LiveBus } from './bus/live-bus.interface';
import { ExpiryQueue } from './expiry-queue';
import type { ConnectionLedger, LedgerPlace } from './ledger/connection-ledger.interface';
import { MemoryConnectionLedger } from './ledger/memory-connection.ledger';
import type { LiveClient } from './live-client';
import { compareEventIds, type LiveEvent } from './live-event';
import { liveMetrics } from './live.metrics';
import type { LiveFeed, LiveSource } from './sources/live-source.interface';
import { assertTopicCount, type TopicSubscription } from './topics';

/** A place held for one connection from its handshake on; given back once, whenever the connection ends. */
export interface LiveReservation {
  readonly userId: string;
  release(): void;
}

/** An SSE client's final word before a replay: it missed events and should refetch what it shows. */
export const GAP_FRAME = '{"reason":"events were missed; refetch"}';

interface FeedState {
  readonly channels: Set<string>;
  lease?: { release(): void };
  open?: LiveFeed;
}

/**
 * The live-updates core, framework-free: clients follow channels, each
 * channel's events arrive once from the bus and go to every local client of
 * it. Upstream feeds are opened on the first listener of any channel they
 * serve and closed with the last, so a replica holds one subscription per feed
 * however many clients listen (with Redis, one replica of all holds it).
 * Connections are capped per replica here and per user by the ledger (across
 * replicas with Redis); one heartbeat timer serves every client and keeps
 * the ledger's places alive; a drain closes them all with "reconnect elsewhere".
 * A connection ends when the credential it was admitted with does (its
 * client's `expiresAt`): connections wait in one queue ordered by expiry,
 * checked by one timer armed for the earliest and by the heartbeat, so no
 * connection has a timer of its own and an event costs nothing more.
 *
 * Topics can be added and stopped while a client is attached ({@link subscribe}, {@link unsubscribe}).
 *
 * @example const reservation = await hub.reserve(principal.id); await hub.attach(client, topics, reservation);
 */
export class LiveHub {
  private readonly log = new Logger('Live');
  private readonly channels = new Map<string, Set<LiveClient>>();
  /** Each attached client's channels. */
  private readonly clients = new Map<LiveClient, Set<string>>();
  /** Clients whose replay is still being read: their live events wait here, in order. */
  private readonly pending = new Map<LiveClient, LiveEvent[]>();
  private readonly feeds = new Map<string, FeedState>();
  private readonly sources = new Map<string, LiveSource>();
  private reserved = 0;
  private draining = false;
  private readonly heartbeat: NodeJS.Timeout;
  /** Attached clients with an `expiresAt`, earliest first. */
  private readonly expiries = new ExpiryQueue<LiveClient>();
  private expiryTimer?: NodeJS.Timeout;
  /** When the armed expiry timer fires (epoch ms); Infinity when none is armed. */
  private expiryTimerAt = Infinity;

  constructor(
    private readonly config: LiveConfig,
    private readonly bus: LiveBus,
    sources: readonly LiveSource[],
    private readonly app: string,
    private readonly ledger: ConnectionLedger = new MemoryConnectionLedger(config.maxConnectionsPerUser),
  ) {
    for (const source of sources) this.sources.set(source.kind, source);
    bus.onEvent((event) => this.deliver(event));
    this.heartbeat = setInterval(() => {
      for (const client of this.clients.keys()) client.heartbeat();
      // A backstop for the expiry timer: what it should have ended is ended now at the latest.
      this.endExpired();
      ledger.refresh();
    }, config.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Kinds of channel some source serves (`orders`, `stock`). */
  kinds(): string[] {
    return [...this.sources.keys()];
  }

  /** Throws 400 when a topic has no source on this app (stock without an inventory upstream). */
  assertServed(topics: readonly TopicSubscription[]): void {
    for (const { channel, topic } of topics) {
      if (!this.sources.has(kindOf(channel))) {
        throw new GatewayError(ErrorCode.ValidationFailed, 'the topics selection is invalid', { errors: [`topics: ${topic} is not offered here`] });
      }
    }
  }

  /**
   * Holds a place for a connection of `userId`: 503 while draining or with
   * the replica full, 429 past the user's cap (on every replica together
   * when the ledger is Redis's: one script call; this replica's place is
   * counted before it, so handshakes in flight never overfill the replica).
   */
  async reserve(userId: string): Promise<LiveReservation> {
    if (this.draining) throw new GatewayError(ErrorCode.Unavailable, 'this replica is shutting down; connect again', { headers: { 'retry-after': '1' } });
    if (this.reserved >= this.config.maxConnections) {
      throw new GatewayError(ErrorCode.Unavailable, 'this replica holds as many live connections as it may', { headers: { 'retry-after': '5' } });
    }
    this.reserved++;
    let place: LedgerPlace | undefined;
    try {
      place = await this.ledger.take(userId);
    } finally {
      if (!place) this.reserved--;
    }
    if (!place) {
      throw new GatewayError(ErrorCode.RateLimited, `at most ${this.config.maxConnectionsPerUser} live connections per user`, { headers: { 'retry-after': '5' } });
    }
    const taken = place;
    let held = true;
    return {
      userId,
      release: () => {
        if (!held) return;
        held = false;
        this.reserved--;
        taken.give();
      },
    };
  }

  /**
   * Starts a client's events. With `lastEventId` (SSE resume) it first gets
   * what it missed within the window (or a gap notice); without one, or after
   * a gap, the latest state of its state channels (a product's stock); then
   * the live ones, with none twice.
   */
  async attach(client: LiveClient, topics: readonly TopicSubscription[], reservation: LiveReservation, lastEventId?: string, onGap?: () => void): Promise<void> {
    if (this.draining) {
      reservation.release();
      client.close('draining');
      return;
    }
    // The authenticator refuses an expired token, but its clock tolerance can let one in just past its exp.
    if (client.expiresAt !== undefined && client.expiresAt <= Date.now()) {
      reservation.release();
      client.close('expired');
      return;
    }
    const followed = new Set<string>();
    this.clients.set(client, followed);
    if (client.expiresAt !== undefined) {
      this.expiries.add(client, client.expiresAt);
      this.armExpiry();
    }
    client.onGone(() => {
      reservation.release();
      this.detach(client);
    });
    // Gone between its handshake and now (onGone ran at once): it must not be left in any channel.
    if (!this.clients.has(client)) return;
    await this.start(client, followed, topics, lastEventId, onGap);
  }

  /**
   * Adds topics to an attached client, as if it had named them at attach:
   * a feed opens with its channel's first listener, a state channel sends its
   * latest kept event first. Topics it follows already are left as they are;
   * 400 when a topic is not offered or the client would follow more than
   * `live.maxTopics`, thrown at once, and then nothing changes. A promise
   * only while a state is read; once settled, the client has what it should
   * have first. One change at a time per client, after its attach has
   * settled (a transport runs a client's messages in order).
   *
   * @example await hub.subscribe(client, parseTopicList(['stock:p2'], principal, config.live.maxTopics));
   */
  subscribe(client: LiveClient, topics: readonly TopicSubscription[]): Promise<void> | undefined {
    // A message read between the token's exp and the timer's turn must not start anything: the client is closed now.
    if (client.expiresAt !== undefined && client.expiresAt <= Date.now()) this.endExpired();
    const followed = this.clients.get(client);
    if (!followed) return undefined;
    this.assertServed(topics);
    const added = topics.filter(({ channel }) => !followed.has(channel));
    assertTopicCount(followed.size + added.length, this.config.maxTopics);
    return added.length > 0 ? this.start(client, followed, added) : undefined;
  }

  /**
   * Stops topics of an attached client; a channel's feed closes with its last
   * listener. Topics it does not follow are ignored.
   *
   * @example hub.unsubscribe(client, [{ topic: 'stock:p2', channel: 'stock:p2' }]);
   */
  unsubscribe(client: LiveClient, topics: readonly TopicSubscription[]): void {
    const followed = this.clients.get(client);
    if (!followed) return;
    for (const { channel } of topics) {
      if (followed.delete(channel)) this.unfollow(client, channel);
    }
  }

  /** Follows `topics`; a promise only when the client should first get a replay or a latest state (see {@link catchUp}). */
  private start(client: LiveClient, followed: Set<string>, topics: readonly TopicSubscription[], lastEventId?: string, onGap?: () => void): Promise<void> | undefined {
    const states = topics.filter(({ channel }) => this.sourceOf(channel).retainsLatest === true).map(({ channel }) => channel);
    const catchingUp = lastEventId !== undefined || states.length > 0;
    if (catchingUp) this.pending.set(client, []);
    for (const { channel } of topics) {
      followed.add(channel);
      this.follow(client, channel);
    }
    return catchingUp ? this.catchUp(client, followed, topics, states, lastEventId, onGap) : undefined;
  }

  /** Sends the replay or the latest state, then the live events that waited meanwhile, none twice. */
  private async catchUp(
    client: LiveClient,
    followed: Set<string>,
    topics: readonly TopicSubscription[],
    states: readonly string[],
    lastEventId?: string,
    onGap?: () => void,
  ): Promise<void> {
    // What the client has of each channel, so that a live event that waited is sent only if it is newer.
    const sent = new Map<string, string>();
    let gap = lastEventId === undefined;
    if (lastEventId !== undefined) {
      for (const { channel } of topics) sent.set(channel, lastEventId);
      gap = await this.replayTo(client, lastEventId, topics, sent, onGap);
    }
    if (gap && states.length > 0) await this.latestTo(client, states, sent);
    const waiting = this.pending.get(client) ?? [];
    this.pending.delete(client);
    if (!this.clients.has(client)) return;
    for (const event of waiting) {
      if (!followed.has(event.channel)) continue;
      const seen = sent.get(event.channel);
      if (seen === undefined || compareEventIds(event.id, seen) > 0) client.send(event);
    }
  }

  /** Sends what the client missed after `lastEventId`; true when some of it is no longer kept (or could not be read). */
  private async replayTo(
    client: LiveClient,
    lastEventId: string,
    topics: readonly TopicSubscription[],
    sent: Map<string, string>,
    onGap?: () => void,
  ): Promise<boolean> {
    try {
      const replay = await this.bus.replay(lastEventId, new Set(topics.map((t) => t.channel)));
      if (!this.clients.has(client)) return false;
      if (replay.gap) onGap?.();
      for (const event of replay.events) {
        client.send(event);
        sent.set(event.channel, event.id);
      }
      return replay.gap;
    } catch (error) {
      this.log.warn(`replay after ${lastEventId} failed: ${(error as Error).message}`);
      onGap?.();
      return true;
    }
  }

  /** Sends the latest kept state of each channel the client has nothing newer of. */
  private async latestTo(client: LiveClient, channels: readonly string[], sent: Map<string, string>): Promise<void> {
    let latest: LiveEvent[];
    try {
      latest = await this.bus.latest(channels);
    } catch (error) {
      // The feed's next change still reaches the client; only the state it would start from is missing.
      this.log.warn(`the latest state of ${channels.join(',')} could not be read: ${(error as Error).message}`);
      return;
    }
    if (!this.clients.has(client)) return;
    for (const event of latest) {
      const seen = sent.get(event.channel);
      if (seen !== undefined && compareEventIds(event.id, seen) <= 0) continue;
      client.send(event);
      sent.set(event.channel, event.id);
    }
  }

  /** Stops taking connections and asks every client to reconnect elsewhere. */
  drain(): void {
    this.draining = true;
    for (const client of [...this.clients.keys()]) client.close('draining');
  }

  get connections(): number {
    return this.clients.size;
  }

  async close(): Promise<void> {
    this.drain();
    clearInterval(this.heartbeat);
    clearTimeout(this.expiryTimer);
    this.expiryTimerAt = Infinity;
    for (const feed of this.feeds.values()) this.stopFeed(feed);
    this.feeds.clear();
    await this.bus.close();
  }

  private deliver(event: LiveEvent): void {
    const listeners = this.channels.get(event.channel);
    if (!listeners) return;
    liveMetrics.events.inc({ app: this.app });
    for (const client of listeners) {
      const waiting = this.pending.get(client);
      if (waiting) waiting.push(event);
      else client.send(event);
    }
  }

  /** Closes, earliest first, every client whose credential has ended, then arms the timer for the next one. */
  private endExpired(): void {
    const now = Date.now();
    for (let client = this.expiries.takeDue(now); client; client = this.expiries.takeDue(now)) client.close('expired');
    this.armExpiry();
  }

  /** Arms the one expiry timer for the earliest expiry, unless it fires by then already. */
  private armExpiry(): void {
    const next = this.expiries.next;
    if (next === undefined || next >= this.expiryTimerAt) return;
    clearTimeout(this.expiryTimer);
    const now = Date.now();
    const delay = Math.min(Math.max(next - now, 0), MAX_TIMER_MS);
    this.expiryTimerAt = now + delay;
    this.expiryTimer = setTimeout(() => {
      this.expiryTimer = undefined;
      this.expiryTimerAt = Infinity;
      this.endExpired();
    }, delay);
    this.expiryTimer.unref();
  }

  private follow(client: LiveClient, channel: string): void {
    let listeners = this.channels.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.channels.set(channel, listeners);
      this.bus.listen(channel);
      this.retainFeed(channel);
    }
    listeners.add(client);
  }

  private detach(client: LiveClient): void {
    const followed = this.clients.get(client);
    if (!followed) return;
    this.clients.delete(client);
    this.pending.delete(client);
    this.expiries.delete(client);
    for (const channel of followed) this.unfollow(client, channel);
  }

  private unfollow(client: LiveClient, channel: string): void {
    const listeners = this.channels.get(channel);
    if (!listeners) return;
    listeners.delete(client);
    if (listeners.size > 0) return;
    this.channels.delete(channel);
    this.bus.unlisten(channel);
    this.releaseFeed(channel);
  }

  private retainFeed(channel: string): void {
    const source = this.sourceOf(channel);
    const key = source.feedOf(channel);
    let feed = this.feeds.get(key);
    if (!feed) {
      const state: FeedState = { channels: new Set() };
      feed = state;
      this.feeds.set(key, state);
      state.lease = this.bus.lease(
        key,
        (cursor) => {
          if (state.open || !this.feeds.has(key)) return;
          liveMetrics.feeds.inc({ app: this.app });
          const retain = source.retainsLatest === true;
          state.open = source.open(key, (to, topic, data, position) => this.bus.publish(to, topic, data, { cursor: position ? { feed: key, value: position } : undefined, retain }), cursor);
        },
        () => this.closeFeed(state),
      );
    }
    feed.channels.add(channel);
  }

  private releaseFeed(channel: string): void {
    const key = this.sourceOf(channel).feedOf(channel);
    const feed = this.feeds.get(key);
    if (!feed) return;
    feed.channels.delete(channel);
    if (feed.channels.size > 0) return;
    this.feeds.delete(key);
    this.stopFeed(feed);
  }

  /** Channels are followed only after assertServed, so a source is always there. */
  private sourceOf(channel: string): LiveSource {
    const source = this.sources.get(kindOf(channel));
    if (!source) throw new Error(`no live source for channel ${channel}`);
    return source;
  }

  private stopFeed(feed: FeedState): void {
    feed.lease?.release();
    this.closeFeed(feed);
  }

  private closeFeed(feed: FeedState): void {
    if (!feed.open) return;
    feed.open.close();
    feed.open = undefined;
    liveMetrics.feeds.dec({ app: this.app });
  }
}

function kindOf(channel: string): string {
  const colon = channel.indexOf(':');
  return colon < 0 ? channel : channel.slice(0, colon);
}
