import { AggregationPlan } from '@gateway/kernel';
import type { Product } from '../partner.types';

export const productsPagePlan = new AggregationPlan<{ offset: number; limit: number }>('partner-products', {
  deadlineMs: 2_000,
}).add('page', {
  upstream: 'catalog',
  required: true,
  shared: true,
  request: ({ input }) => ({ url: '/products', params: { offset: input.offset, limit: input.limit } }),
  map: (data: { items: Product[]; total: number }) => data,
});

export const availabilityPlan = new AggregationPlan<{ productId: string }>('partner-availability', {
  deadlineMs: 1_000,
}).add('availability', {
  upstream: 'catalog',
  required: true,
  shared: true,
  request: ({ input }) => ({ url: `/products/${encodeURIComponent(input.productId)}/availability` }),
  map: (data: { productId: string; stock: number; available: boolean }) => data,
});
