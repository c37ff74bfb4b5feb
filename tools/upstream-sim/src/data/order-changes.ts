import type { Order, OrderStatus } from './seed.types';

/** Changes kept for subscribers that reconnect with `Last-Event-ID`. */
export const CHANGES_KEPT = 1_000;

/** One status change as the feed sends it (`data:` of one SSE event). */
export interface OrderChange {
  id: number;
  json: string;
}

export type ChangeListener = (change: OrderChange) => void;

/**
 * The orders service's change feed: every status change gets the next id and
 * goes to every listener; the last {@link CHANGES_KEPT} are kept so a
 * subscriber that lost its connection resumes where it left off.
 */
export class OrderChangeFeed {
  private nextId = 1;
  private readonly kept: OrderChange[] = [];
  private readonly listeners = new Set<ChangeListener>();

  get subscribers(): number {
    return this.listeners.size;
  }

  publish(order: Order, status: OrderStatus): OrderChange {
    const change = {
      id: this.nextId++,
      json: JSON.stringify({ orderId: order.id, userId: order.userId, status, at: new Date().toISOString() }),
    };
    this.kept.push(change);
    if (this.kept.length > CHANGES_KEPT) this.kept.shift();
    for (const listener of this.listeners) listener(change);
    return change;
  }

  /** Changes after `id` still kept (all kept ones for an id the feed never gave). */
  since(id: number): OrderChange[] {
    if (!Number.isInteger(id) || id < 0 || id >= this.nextId) return [];
    return this.kept.filter((change) => change.id > id);
  }

  listen(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
