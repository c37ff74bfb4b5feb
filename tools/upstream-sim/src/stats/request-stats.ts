import type { IncomingHttpHeaders } from 'node:http';

export const LAST_REQUESTS_KEPT = 50;

export interface RecordedRequest {
  method: string;
  url: string;
  /** Exactly as received (Node lower-cases names and joins repeats). */
  headers: IncomingHttpHeaders;
  at: string;
  /** gRPC calls only: the deadline the call arrived with (null: none), and the time it left then. */
  deadline?: { at: string; remainingMs: number } | null;
}

export interface StatsSnapshot {
  total: number;
  /** Keyed by method and route pattern, e.g. `GET /products/:id`. */
  byRoute: Record<string, number>;
  /** Oldest first; the newest request is the last element. */
  lastRequests: RecordedRequest[];
}

interface Slot {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  time: number;
  deadline?: RecordedRequest['deadline'];
}

/** Counts requests and keeps the last few in a ring, so recording costs no allocation beyond one slot. */
export class RequestStats {
  private total = 0;
  private byRoute = new Map<string, number>();
  private ring: Slot[] = [];
  private next = 0;

  record(method: string, route: string, url: string, headers: IncomingHttpHeaders, deadline?: RecordedRequest['deadline']): void {
    this.total++;
    this.byRoute.set(route, (this.byRoute.get(route) ?? 0) + 1);
    const slot: Slot = deadline === undefined ? { method, url, headers, time: Date.now() } : { method, url, headers, time: Date.now(), deadline };
    if (this.ring.length < LAST_REQUESTS_KEPT) this.ring.push(slot);
    else this.ring[this.next] = slot;
    this.next = (this.next + 1) % LAST_REQUESTS_KEPT;
  }

  snapshot(): StatsSnapshot {
    const ordered = this.ring.length < LAST_REQUESTS_KEPT ? this.ring : [...this.ring.slice(this.next), ...this.ring.slice(0, this.next)];
    return {
      total: this.total,
      byRoute: Object.fromEntries(this.byRoute),
      lastRequests: ordered.map((s) => ({
        method: s.method,
        url: s.url,
        headers: s.headers,
        at: new Date(s.time).toISOString(),
        ...(s.deadline === undefined ? {} : { deadline: s.deadline }),
      })),
    };
  }

  reset(): void {
    this.total = 0;
    this.byRoute = new Map();
    this.ring = [];
    this.next = 0;
  }
}
