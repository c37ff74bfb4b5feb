import { AggregationPlan } from '@gateway/kernel';
import type { Availability, ItemList, Product, Review } from '../catalog.types';

/** The product, its live stock (inventory, over gRPC), its reviews and its related products (one batch call). */
export const productPagePlan = new AggregationPlan<{ productId: string }>('product-page', { deadlineMs: 1_200 })
  .add('product', {
    upstream: 'catalog',
    required: true,
    timeoutMs: 700,
    shared: true,
    request: ({ input }) => ({ url: `/products/${encodeURIComponent(input.productId)}` }),
    map: (data: Product) => data,
  })
  .add('stock', {
    upstream: 'inventory',
    rpc: 'GetAvailability',
    required: false,
    timeoutMs: 500,
    request: ({ input }) => ({ data: { sku: input.productId } }),
    map: (data: Availability) => data,
  })
  .add('reviews', {
    upstream: 'reviews',
    required: false,
    timeoutMs: 600,
    shared: true,
    request: ({ input }) => ({ url: '/reviews', params: { productId: input.productId, limit: 10 } }),
    map: (data: ItemList<Review>) => data,
  })
  .add('related', {
    upstream: 'catalog',
    required: false,
    timeoutMs: 500,
    shared: true,
    dependsOn: ['product'],
    request: ({ results }) =>
      results.product?.relatedIds.length ? { url: '/products', params: { ids: results.product.relatedIds.join(',') } } : null,
    map: (data: ItemList<Product>) => data.items,
    empty: [] as Product[],
  });
