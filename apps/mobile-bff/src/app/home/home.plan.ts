import { AggregationPlan } from '@gateway/kernel';
import type { Availability, Order, Page, Product, User } from '../mobile.types';

export const HOME_ORDERS = 3;
export const HOME_FEATURED = 6;

/** The home screen: who, last three orders, featured products with their live stock (one batch over gRPC). */
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
    map: (data: { items: Product[] }) => data.items.slice(0, HOME_FEATURED),
  })
  .add('stock', {
    upstream: 'inventory',
    rpc: 'BatchGetAvailability',
    required: false,
    timeoutMs: 400,
    dependsOn: ['featured'],
    request: ({ results }) => (results.featured?.length ? { data: { skus: results.featured.map((p) => p.id) } } : null),
    map: (data: { items: Availability[] }) => new Map(data.items.map((a) => [a.sku, a.available])),
    empty: new Map<string, boolean>(),
  });
