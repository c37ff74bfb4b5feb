const WINDOW_SECONDS = 10;

interface Bucket {
  second: number;
  requests: number;
  retries: number;
}

/**
 * Caps retries to an upstream at `ratio` of its requests over the last ten
 * seconds, plus `minPerSecond` retries every second, so a failing upstream
 * sees at most (1 + ratio) times its normal load instead of (1 + maxAttempts).
 *
 * @example if (budget.tryRetry()) { ...retry... }
 */
export class RetryBudget {
  private readonly buckets: Bucket[] = Array.from({ length: WINDOW_SECONDS }, () => ({ second: -1, requests: 0, retries: 0 }));

  constructor(
    private readonly ratio: number,
    private readonly minPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a first attempt (what retries are a share of). */
  recordRequest(): void {
    this.current().requests++;
  }

  /** Takes one retry from the budget if there is one left. */
  tryRetry(): boolean {
    const current = this.current();
    let requests = 0;
    let retries = 0;
    for (const bucket of this.buckets) {
      if (bucket.second > current.second - WINDOW_SECONDS) {
        requests += bucket.requests;
        retries += bucket.retries;
      }
    }
    if (current.retries < this.minPerSecond || retries + 1 <= this.ratio * requests) {
      current.retries++;
      return true;
    }
    return false;
  }

  private current(): Bucket {
    const second = Math.floor(this.now() / 1000);
    const bucket = this.buckets[second % WINDOW_SECONDS];
    if (bucket.second !== second) {
      bucket.second = second;
      bucket.requests = 0;
      bucket.retries = 0;
    }
    return bucket;
  }
}
