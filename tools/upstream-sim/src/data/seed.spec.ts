import { Prng } from './prng';
import { buildSeed, getSeed, OUT_OF_STOCK_EVERY, PRODUCT_COUNT, USER_COUNT } from './seed';

describe('seed data', () => {
  const seed = getSeed();

  it('is the same on every build', () => {
    expect(buildSeed()).toEqual(buildSeed());
    expect(buildSeed()).toEqual(seed);
  });

  it('has the demo users first', () => {
    expect(seed.users).toHaveLength(USER_COUNT);
    expect(seed.users.map((u) => u.id)).toEqual(Array.from({ length: USER_COUNT }, (_, i) => `u${i + 1}`));
    expect(seed.users[0].username).toBe('alice');
    expect(seed.users[1].username).toBe('bob');
    expect(new Set(seed.users.map((u) => u.username)).size).toBe(USER_COUNT);
  });

  it('has products with cent prices, related products and some out of stock', () => {
    expect(seed.products).toHaveLength(PRODUCT_COUNT);
    for (const p of seed.products) {
      expect(Math.round(p.price.amount * 100) / 100).toBe(p.price.amount);
      expect(Number.isInteger(p.stock)).toBe(true);
      expect(p.relatedIds.length).toBeGreaterThanOrEqual(3);
      expect(p.relatedIds.length).toBeLessThanOrEqual(5);
      expect(p.relatedIds).not.toContain(p.id);
      expect(new Set(p.relatedIds).size).toBe(p.relatedIds.length);
    }
    expect(seed.products.filter((p) => p.stock === 0)).toHaveLength(PRODUCT_COUNT / OUT_OF_STOCK_EVERY);
  });

  it('has 5 to 12 orders per user with consistent totals', () => {
    for (const user of seed.users) {
      const count = seed.orders.filter((o) => o.userId === user.id).length;
      expect(count).toBeGreaterThanOrEqual(5);
      expect(count).toBeLessThanOrEqual(12);
    }
    for (const order of seed.orders) {
      const sum = order.items.reduce((s, i) => s + i.unitPrice * i.quantity, 0);
      expect(order.total).toBeCloseTo(sum, 2);
    }
    expect(seed.orders[0].id).toBe('o1');
  });

  it('has 0 to 8 reviews per product, rated 1 to 5', () => {
    const perProduct = new Map<string, number>();
    for (const r of seed.reviews) perProduct.set(r.productId, (perProduct.get(r.productId) ?? 0) + 1);
    expect(Math.max(...perProduct.values())).toBeLessThanOrEqual(8);
    expect(seed.reviews.every((r) => r.rating >= 1 && r.rating <= 5 && Number.isInteger(r.rating))).toBe(true);
  });

  it('cannot be changed by a caller', () => {
    expect(() => {
      (seed.products[0] as { stock: number }).stock = 1;
    }).toThrow(TypeError);
  });
});

describe('Prng', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const a = new Prng(7);
    const b = new Prng(7);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(new Prng(8).next()).not.toBe(seqA[0]);
  });

  it('draws integers inclusively and samples distinct items', () => {
    const rng = new Prng(1);
    const seen = new Set(Array.from({ length: 500 }, () => rng.int(1, 3)));
    expect([...seen].sort()).toEqual([1, 2, 3]);
    const sample = rng.sample([1, 2, 3, 4, 5], 5);
    expect([...sample].sort()).toEqual([1, 2, 3, 4, 5]);
  });
});
