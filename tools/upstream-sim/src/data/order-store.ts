import { getCatalogIndex } from './catalog-index';
import { getSeed } from './seed';
import type { Order, OrderStatus } from './seed.types';

/** Created orders kept per instance; the oldest go first beyond this, so a write benchmark cannot grow memory without bound. */
export const MAX_CREATED_ORDERS = 10_000;

interface Stored {
  order: Order;
  json: string;
}

export interface NewOrder {
  userId: string;
  items: { productId: string; quantity: number }[];
}

export class OrderRejectedError extends Error {
  constructor(
    readonly status: 400 | 409,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const seedOrders = buildSeedIndex();

function buildSeedIndex() {
  const byId = new Map<string, Stored>();
  const byUser = new Map<string, Stored[]>();
  for (const order of getSeed().orders) {
    const stored = { order, json: JSON.stringify(order) };
    byId.set(order.id, stored);
    const list = byUser.get(order.userId) ?? [];
    list.push(stored);
    byUser.set(order.userId, list);
  }
  for (const list of byUser.values()) list.sort((a, b) => b.order.createdAt.localeCompare(a.order.createdAt));
  return { byId, byUser, count: byId.size, userIds: new Set(getSeed().users.map((u) => u.id)) };
}

/** Seeded orders (shared, read-only) plus the ones created on this instance. */
export class OrderStore {
  private readonly created = new Map<string, Stored>();
  /** Per user, oldest first. */
  private readonly createdByUser = new Map<string, Stored[]>();
  /** Seeded orders whose status changed on this instance (the seed itself is shared and never written). */
  private readonly changedSeeds = new Map<string, Stored>();
  private nextId = seedOrders.count + 1;

  getJson(id: string): string | undefined {
    return this.find(id)?.json;
  }

  get(id: string): Order | undefined {
    return this.find(id)?.order;
  }

  /** Moves an order to `status`; the updated order, or undefined when there is no such order. */
  setStatus(id: string, status: OrderStatus): Order | undefined {
    const stored = this.find(id);
    if (!stored) return undefined;
    const order = { ...stored.order, status };
    const json = JSON.stringify(order);
    const own = this.created.get(id);
    if (own) {
      // The same object sits in createdByUser, so both views see the change.
      own.order = order;
      own.json = json;
    } else {
      this.changedSeeds.set(id, { order, json });
    }
    return order;
  }

  private find(id: string): Stored | undefined {
    return this.created.get(id) ?? this.changedSeeds.get(id) ?? seedOrders.byId.get(id);
  }

  /** A user's orders as JSON strings, newest first. */
  listJson(userId: string, offset: number, limit: number): { items: string[]; total: number } {
    const mine = this.createdByUser.get(userId) ?? [];
    const seeded = seedOrders.byUser.get(userId) ?? [];
    const total = mine.length + seeded.length;
    const items: string[] = [];
    for (let i = offset; i < Math.min(total, offset + limit); i++) {
      if (i < mine.length) items.push(mine[mine.length - 1 - i].json);
      else {
        const seed = seeded[i - mine.length];
        items.push((this.changedSeeds.get(seed.order.id) ?? seed).json);
      }
    }
    return { items, total };
  }

  /** Prices come from the seeded catalog; throws OrderRejectedError. */
  create(input: NewOrder): Order {
    if (!seedOrders.userIds.has(input.userId)) {
      throw new OrderRejectedError(400, 'invalid_request', `unknown user ${input.userId}`);
    }
    const catalog = getCatalogIndex();
    const items = input.items.map(({ productId, quantity }) => {
      const product = catalog.byId.get(productId);
      if (!product) throw new OrderRejectedError(400, 'invalid_request', `unknown product ${productId}`);
      if (product.stock < quantity) throw new OrderRejectedError(409, 'out_of_stock', `product ${productId} has ${product.stock} in stock`);
      return { productId, quantity, unitPrice: product.price.amount };
    });
    const total = Math.round(items.reduce((sum, i) => sum + i.unitPrice * i.quantity * 100, 0)) / 100;
    const order: Order = {
      id: `o${this.nextId++}`,
      userId: input.userId,
      status: 'created',
      items,
      total,
      currency: 'EUR',
      createdAt: new Date().toISOString(),
    };
    this.keep({ order, json: JSON.stringify(order) });
    return order;
  }

  private keep(stored: Stored): void {
    this.created.set(stored.order.id, stored);
    const list = this.createdByUser.get(stored.order.userId) ?? [];
    list.push(stored);
    this.createdByUser.set(stored.order.userId, list);
    if (this.created.size > MAX_CREATED_ORDERS) {
      const [oldestId, oldest] = this.created.entries().next().value as [string, Stored];
      this.created.delete(oldestId);
      this.createdByUser.get(oldest.order.userId)?.shift();
    }
  }
}
