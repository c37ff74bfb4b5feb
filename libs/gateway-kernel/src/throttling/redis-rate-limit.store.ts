import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type Redis from 'ioredis';
import { ScriptCallBatcher } from '../redis';
import { RATE_LIMIT_SCRIPT, RATE_LIMIT_SCRIPT_SHA } from './rate-limit.lua';
import type { ConsumeResult, LimitWindow, RateLimitStore } from './rate-limit-store.interface';

/** How long start-up waits for a first connection before going on (the error policy covers the rest). */
const STARTUP_WAIT_MS = 2_000;
const QUIT_WAIT_MS = 500;
const DEFAULT_STALE_AFTER_MS = 1_500;

/**
 * Counters in Redis, shared by every replica: one EVALSHA per request checks and
 * counts all of that request's limits (rate-limit.lua.ts), and the calls of
 * one event-loop turn go out as one pipeline (ScriptCallBatcher). Not
 * @nest-lab/throttler-storage-redis, which costs one round trip per named limit
 * and sends the whole script text with every call.
 *
 * The script is loaded with SCRIPT LOAD on every (re)connect and called by its
 * SHA; a NOSCRIPT (Redis restarted or flushed) loads it again and retries once.
 * Failures reject: the guard applies `throttling.onRedisError`. The client is
 * the shared, bounded one (REDIS_CLIENT: no offline queue, no retries, command
 * timeout), so no request waits on a reconnect.
 */
export class RedisRateLimitStore implements RateLimitStore, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Throttling');
  // The argument list of a route's limits never changes; built once per limits array.
  private readonly argv = new WeakMap<readonly LimitWindow[], string[]>();
  private readonly calls: ScriptCallBatcher;

  constructor(
    readonly client: Redis,
    /** Close the client on shutdown (it was made for this store, not shared). */
    private readonly ownsClient = false,
    /** A call reaching Redis this long after it was sent counts nothing (its caller has given up); the command timeout plus clock slack. */
    private readonly staleAfterMs = DEFAULT_STALE_AFTER_MS,
  ) {
    this.calls = new ScriptCallBatcher(client);
    client.on('ready', () => {
      this.loadScript().catch((error: Error) => this.logger.warn(`SCRIPT LOAD failed: ${error.message}`));
    });
    // Errors are reported through the calls that fail (rate-limited); without a
    // listener ioredis would print every reconnect failure.
    client.on('error', () => undefined);
  }

  async onModuleInit(): Promise<void> {
    if (this.client.status === 'ready') return;
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), STARTUP_WAIT_MS);
      this.client.once('ready', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!ready) this.logger.warn(`Redis not reachable at start (status ${this.client.status}); retrying in the background`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.ownsClient) return;
    if (this.client.status !== 'ready') {
      this.client.disconnect();
      return;
    }
    const timer = setTimeout(() => this.client.disconnect(), QUIT_WAIT_MS);
    await this.client.quit().catch(() => this.client.disconnect());
    clearTimeout(timer);
  }

  async consume(keys: readonly string[], limits: readonly LimitWindow[]): Promise<ConsumeResult> {
    const argv = this.argvFor(limits);
    // Redis runs what it received even after the caller gave up on it; the script drops calls older than this.
    const staleAt = String(Date.now() + this.staleAfterMs);
    const args = [...argv, staleAt];
    let reply: number[];
    try {
      reply = (await this.calls.evalsha(RATE_LIMIT_SCRIPT_SHA, keys, args)) as number[];
    } catch (error) {
      if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
      await this.loadScript();
      reply = (await this.calls.evalsha(RATE_LIMIT_SCRIPT_SHA, keys, args)) as number[];
    }
    // Answered in time yet stale: the Redis clock runs ahead of ours by more than the slack.
    if (reply[0] === -1) throw new Error('rate-limit call judged stale by Redis (clock skew between this host and Redis?)');
    const n = keys.length;
    const remaining: number[] = new Array(n);
    const resetMs: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      remaining[i] = reply[2 + 2 * i];
      resetMs[i] = reply[3 + 2 * i];
    }
    return { blockedBy: reply[0] - 1, retryAfterMs: reply[1], remaining, resetMs };
  }

  /** Readiness: PING, bounded by the command timeout; rejects when Redis is unreachable. */
  async ping(): Promise<void> {
    await this.client.ping();
  }

  private async loadScript(): Promise<void> {
    const sha = (await this.client.script('LOAD', RATE_LIMIT_SCRIPT)) as string;
    if (sha !== RATE_LIMIT_SCRIPT_SHA) throw new Error(`SCRIPT LOAD returned ${sha}, expected ${RATE_LIMIT_SCRIPT_SHA}`);
  }

  private argvFor(limits: readonly LimitWindow[]): string[] {
    let argv = this.argv.get(limits);
    if (!argv) {
      argv = limits.flatMap((l) => [String(l.ttlMs), String(l.limit), l.sliding ? '1' : '0', String(l.blockMs)]);
      this.argv.set(limits, argv);
    }
    return argv;
  }
}
