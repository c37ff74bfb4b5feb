import { jsonShape, shapeDifferences } from './payload-shape';

const page = (availability: unknown, reviews: unknown[] = [{ id: 'r1', rating: 4 }]) => ({
  product: { id: 'p1', price: { amount: 10, currency: 'EUR' }, availability },
  reviews: { count: reviews.length, items: reviews },
  meta: { complete: true, missing: [] },
});

describe('payload shape', () => {
  it('lists every leaf with its type, array elements under one path, sorted', () => {
    expect(jsonShape(page({ inStock: true, stock: 3 }, [{ id: 'r1', rating: 4 }, { id: 'r2', rating: 5 }]))).toEqual([
      'meta.complete: boolean',
      'meta.missing: []',
      'product.availability.inStock: boolean',
      'product.availability.stock: number',
      'product.id: string',
      'product.price.amount: number',
      'product.price.currency: string',
      'reviews.count: number',
      'reviews.items[].id: string',
      'reviews.items[].rating: number',
    ]);
    expect(jsonShape(null)).toEqual(['(root): null']);
    expect(jsonShape({ a: {} })).toEqual(['a: {}']);
  });

  it('is the same for two bodies with the same fields, whatever their values or list lengths', () => {
    expect(shapeDifferences(page({ inStock: true, stock: 3 }), page({ inStock: false, stock: 0 }, [{ id: 'x', rating: 1 }, { id: 'y', rating: 2 }]), ['a', 'b'])).toEqual([]);
  });

  it('names the fields only one side has: a stock the baseline never asked for shows', () => {
    expect(shapeDifferences(page(null), page({ inStock: true, stock: 3 }), ['fan-out', 'BFF'])).toEqual([
      'fan-out only: product.availability: null',
      'BFF only: product.availability.inStock: boolean',
      'BFF only: product.availability.stock: number',
    ]);
    expect(shapeDifferences(page({ inStock: true, stock: 3 }, []), page({ inStock: true, stock: 3 }), ['a', 'b'])).toEqual([
      'a only: reviews.items: []',
      'b only: reviews.items[].id: string',
      'b only: reviews.items[].rating: number',
    ]);
    expect(shapeDifferences({ stock: '3' }, { stock: 3 }, ['a', 'b'])).toEqual(['a only: stock: string', 'b only: stock: number']);
  });
});
