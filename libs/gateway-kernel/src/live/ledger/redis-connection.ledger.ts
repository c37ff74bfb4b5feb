import { Logger } from '@nestjs/common';
import type { ChainableCommander } from 'ioredis';
import type Redis from 'ioredis';
import { randomBytes } from 'node:crypto';
import type { ConnectionLedger, LedgerPlace } from './connection-ledger.interface';
import { MemoryConnectionLedger } from './memory-connection.ledger';
import { REFRESH_SCRIPT, TAKE_SCRIPT } from './redis-connection.scripts';

type Scripted = Redis & {
  liveConnTake(key: string, member: string, limit: number, ttlMs: number): Promise<number>;
};
type ScriptedPipeline = ChainableCommander & {
  liveConnRefresh(key: string, ttlMs: number, ...members: string[]): ChainableCommander;
};

/**
 * Each user's live connections on every replica, in one sorted set per user
 * in Redis: a member per connection (this replica's id and the
 * connection's), scored by when it lapses. A handshake is one script call
 * (drop lapsed, count, add); a closed connection removes its member; every
 * heartbeat this replica moves its members' lapse time on (one pipeline), so
 * a replica that dies without a word frees its users' places `ttlMs` later.
 *
 * Redis failing never refuses anyone: the handshake is let in on this
 * replica's own count (`MemoryConnectionLedger`, the cap per replica), with
 * one warning per outage, and the next heartbeat after Redis is back counts
 * it there too. Keys share the live bus's `{live}` hash tag, so the
 * heartbeat's pipeline stays on one Redis Cluster slot.
 *
 * @example const ledger = new RedisConnectionLedger(redis, 'gw:', 5, 45_000);
 */
export class RedisConnectionLedger implements ConnectionLedger {
  private readonly log = new Logger('Live');
  private readonly replica = randomBytes(8).toString('hex');
  private readonly redis: Scripted;
  private readonly local: MemoryConnectionLedger;
  private readonly head: string;
  /** This replica's members, by user: what each heartbeat refreshes. */
  private readonly held = new Map<string, Set<string>>();
  private next = 0;
  private failing = false;

  constructor(
    redis: Redis,
    keyPrefix: string,
    private readonly limit: number,
    private readonly ttlMs: number,
  ) {
    this.head = `${keyPrefix}{live}:conns:`;
    redis.defineCommand('liveConnTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    redis.defineCommand('liveConnRefresh', { numberOfKeys: 1, lua: REFRESH_SCRIPT });
    this.redis = redis as Scripted;
    this.local = new MemoryConnectionLedger(limit);
  }

  async take(userId: string): Promise<LedgerPlace | undefined> {
    const local = this.local.takeNow(userId);
    if (!local) return undefined;
    const member = `${this.replica}:${(this.next++).toString(36)}`;
    const key = this.head + userId;
    try {
      const taken = await this.redis.liveConnTake(key, member, this.limit, this.ttlMs);
      this.answered();
      if (taken !== 1) {
        local.give();
        return undefined;
      }
    } catch (error) {
      this.failed(error as Error);
    }
    this.hold(userId, member);
    let held = true;
    return {
      give: () => {
        if (!held) return;
        held = false;
        local.give();
        this.unhold(userId, member);
        // Left behind if this fails: it lapses within ttlMs, as a dead replica's do.
        this.redis.zrem(key, member).catch(() => undefined);
      },
    };
  }

  refresh(): void {
    if (this.held.size === 0) return;
    const pipeline = this.redis.pipeline() as ScriptedPipeline;
    for (const [userId, members] of this.held) pipeline.liveConnRefresh(this.head + userId, this.ttlMs, ...members);
    pipeline.exec().then(
      (results) => {
        const error = results?.find(([failure]) => failure)?.[0];
        if (error) this.failed(error);
        else this.answered();
      },
      (error: Error) => this.failed(error),
    );
  }

  private hold(userId: string, member: string): void {
    let members = this.held.get(userId);
    if (!members) this.held.set(userId, (members = new Set()));
    members.add(member);
  }

  private unhold(userId: string, member: string): void {
    const members = this.held.get(userId);
    if (!members) return;
    members.delete(member);
    if (members.size === 0) this.held.delete(userId);
  }

  private failed(error: Error): void {
    if (this.failing) return;
    this.failing = true;
    this.log.warn(`live connections per user cannot be counted in Redis (${error.message}): each replica applies the cap on its own until it answers`);
  }

  private answered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.log.log('live connections per user are counted in Redis again');
  }
}
