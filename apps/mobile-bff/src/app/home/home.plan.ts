import { AggregationPlan } from '@gateway/kernel';
import type { Order, Page, Product, User } from '../mobile.types';

export const HOME_ORDERS = 3;

/** The home screen: who, last three orders, featured products. */
export const homePlan = new AggregationPlan<{ userId: string }>('mobile-home', { deadlineMs: 1_200 })
  .add('profile', {
    upstream: 'users',
    required: true,
    timeoutMs: 700,
    request: ({ input }) => ({ url: `/users/${encodeURIComponent(input.userId)}` }),
    map: (data: User) => data,
  })
  .add('orders', {
    upstream: 'orders',
    required: false,
    timeoutMs: 700,
    request: ({ input }) => ({ url: '/orders', params: { userId: input.userId, limit: HOME_ORDERS } }),
    map: (data: Page<Order>) => data.items,
  })
  .add('featured', {
    upstream: 'catalog',
    required: false,
    timeoutMs: 600,
    shared: true,
    request: () => ({ url: '/products/featured' }),
    map: (data: { items: Product[] }) => data.items,
  });
