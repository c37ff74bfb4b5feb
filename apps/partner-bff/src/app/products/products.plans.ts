import { AggregationPlan } from '@gateway/kernel';
import type { Availability, Product } from '../partner.types';

export const productsPagePlan = new AggregationPlan<{ offset: number; limit: number }>('partner-products', {
  deadlineMs: 2_000,
}).add('page', {
  upstream: 'catalog',
  required: true,
  shared: true,
  request: ({ input }) => ({ url: '/products', params: { offset: input.offset, limit: input.limit } }),
  map: (data: { items: Product[]; total: number }) => data,
});

/** One product's stock, from inventory over gRPC: live, never cached. */
export const availabilityPlan = new AggregationPlan<{ productId: string }>('partner-availability', {
  deadlineMs: 1_000,
}).add('availability', {
  upstream: 'inventory',
  rpc: 'GetAvailability',
  required: true,
  request: ({ input }) => ({ data: { sku: input.productId } }),
  map: (data: Availability) => data,
});

/** Several products' stock in one gRPC call, in the order asked; unknown ids are left out. */
export const batchAvailabilityPlan = new AggregationPlan<{ productIds: string[] }>('partner-availability-batch', {
  deadlineMs: 1_000,
}).add('availability', {
  upstream: 'inventory',
  rpc: 'BatchGetAvailability',
  required: true,
  request: ({ input }) => ({ data: { skus: input.productIds } }),
  map: (data: { items: Availability[] }) => data.items,
});
