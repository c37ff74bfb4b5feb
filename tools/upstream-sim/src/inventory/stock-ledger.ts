import { getCatalogIndex } from '../data/catalog-index';
import type { InventoryMessages } from './inventory-proto';

export type Availability = InventoryMessages['Availability'];
export type StockListener = (availability: Availability) => void;

export const MAX_STOCK = 1_000_000;

export class StockChangeError extends Error {
  override name = 'StockChangeError';
}

/**
 * One inventory instance's stock: the seeded catalog's at start, then what
 * `PUT /__sim/stock/:sku` sets. Watchers of a sku hear each change once.
 */
export class StockLedger {
  private readonly changed = new Map<string, Availability>();
  private readonly listeners = new Map<string, Set<StockListener>>();
  private readonly startedAt = new Date().toISOString();

  get(sku: string): Availability | undefined {
    const changed = this.changed.get(sku);
    if (changed) return changed;
    const product = getCatalogIndex().byId.get(sku);
    return product && { sku, stock: product.stock, available: product.stock > 0, revision: 0, updatedAt: this.startedAt };
  }

  /** Sets a known sku's stock and tells its watchers; throws StockChangeError. */
  set(sku: string, stock: unknown): Availability {
    const current = this.get(sku);
    if (!current) throw new StockChangeError(`unknown sku ${sku}`);
    if (typeof stock !== 'number' || !Number.isInteger(stock) || stock < 0 || stock > MAX_STOCK) {
      throw new StockChangeError(`stock must be an integer from 0 to ${MAX_STOCK}`);
    }
    const next: Availability = { sku, stock, available: stock > 0, revision: current.revision + 1, updatedAt: new Date().toISOString() };
    this.changed.set(sku, next);
    for (const listener of this.listeners.get(sku) ?? []) listener(next);
    return next;
  }

  /** Calls `listener` on each change of one of `skus`; returns the unsubscribe. */
  watch(skus: readonly string[], listener: StockListener): () => void {
    for (const sku of skus) {
      let set = this.listeners.get(sku);
      if (!set) this.listeners.set(sku, (set = new Set()));
      set.add(listener);
    }
    return () => {
      for (const sku of skus) {
        const set = this.listeners.get(sku);
        set?.delete(listener);
        if (set?.size === 0) this.listeners.delete(sku);
      }
    };
  }

  /** Watchers still registered, summed over skus (tests check that cancelled streams let go). */
  get watcherCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }
}
