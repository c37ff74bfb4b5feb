import { AggregationPlan } from '@gateway/kernel';
import type { Page, Product } from '../mobile.types';

export const productsPagePlan = new AggregationPlan<{ offset: number; limit: number }>('mobile-products', {
  deadlineMs: 1_000,
}).add('page', {
  upstream: 'catalog',
  required: true,
  shared: true,
  request: ({ input }) => ({ url: '/products', params: { offset: input.offset, limit: input.limit } }),
  map: (data: Page<Product>) => data,
});
