import type { OnApplicationShutdown } from '@nestjs/common';
import type { ConsumeResult, LimitWindow, RateLimitStore } from './rate-limit-store.interface';

interface Counter {
  /** Window number, hits in it, hits in the one before, refused until (ms). */
  w: number;
  c: number;
  p: number;
  b: number;
  expiresAt: number;
}

const SWEEP_INTERVAL_MS = 30_000;

/**
 * Counters in this process's memory: the store when no `redis.url` is set
 * (one replica, or limits per replica). Same algorithm as the Redis script
 * (rate-limit.lua.ts), so both behave alike; expired counters are swept.
 */
export class MemoryRateLimitStore implements RateLimitStore, OnApplicationShutdown {
  private readonly counters = new Map<string, Counter>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly clock: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  consume(keys: readonly string[], limits: readonly LimitWindow[]): ConsumeResult {
    return this.consumeAt(this.clock(), keys, limits);
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
    this.counters.clear();
  }

  private consumeAt(now: number, keys: readonly string[], limits: readonly LimitWindow[]): ConsumeResult {
    const n = keys.length;
    const found: (Counter | undefined)[] = new Array(n);
    const used: number[] = new Array(n);
    const left: number[] = new Array(n);
    const windows: number[] = new Array(n);
    let blockedBy = -1;
    let retryAfterMs = 0;

    for (let i = 0; i < n; i++) {
      const { ttlMs: ttl, limit, sliding, blockMs } = limits[i];
      const w = Math.floor(now / ttl);
      let counter = this.counters.get(keys[i]);
      if (counter && counter.expiresAt <= now) counter = undefined;
      const c = counter?.w === w ? counter.c : 0;
      const p = !sliding || !counter ? 0 : counter.w === w ? counter.p : counter.w === w - 1 ? counter.c : 0;
      const l = ttl - (now - w * ttl);
      const u = c + (p * l) / ttl;
      let wait = (counter?.b ?? 0) - now;
      if (wait <= 0) {
        wait = 0;
        if (u + 1 > limit) {
          if (c + 1 <= limit) wait = l - ((limit - c - 1) * ttl) / p;
          else if (sliding) wait = l + Math.max(0, ttl - ((limit - 1) * ttl) / c);
          else wait = l;
          if (blockMs > wait) wait = blockMs;
          if (blockMs > 0) {
            counter ??= { w: -1, c: 0, p: 0, b: 0, expiresAt: 0 };
            counter.b = now + wait;
            counter.expiresAt = Math.max(counter.expiresAt, now + Math.max(ttl * (w + 2) - now, wait));
            this.counters.set(keys[i], counter);
          }
        }
      }
      if (wait > retryAfterMs) {
        blockedBy = i;
        retryAfterMs = wait;
      }
      found[i] = counter;
      used[i] = u;
      left[i] = l;
      windows[i] = w;
    }

    const taken = blockedBy === -1 ? 1 : 0;
    const remaining: number[] = new Array(n);
    const resetMs: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const { ttlMs: ttl, limit, sliding } = limits[i];
      if (taken) {
        const counter = found[i];
        if (counter && counter.w === windows[i]) {
          counter.c += 1;
        } else {
          const p = sliding && counter?.w === windows[i] - 1 ? counter.c : 0;
          const expiresAt = now + Math.ceil(left[i]) + (sliding ? ttl : 0);
          this.counters.set(keys[i], { w: windows[i], c: 1, p, b: counter?.b ?? 0, expiresAt });
        }
      }
      const r = Math.floor(limit - used[i] - taken);
      remaining[i] = r < 0 || i === blockedBy ? 0 : r;
      resetMs[i] = Math.ceil(left[i]);
    }
    return { blockedBy, retryAfterMs: Math.ceil(retryAfterMs), remaining, resetMs };
  }

  private sweep(now = this.clock()): void {
    for (const [key, counter] of this.counters) if (counter.expiresAt <= now) this.counters.delete(key);
  }
}
