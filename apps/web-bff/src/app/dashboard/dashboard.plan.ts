import { AggregationPlan } from '@gateway/kernel';
import type { ItemList, Order, Product, User } from '../catalog.types';

export const RECENT_ORDERS = 5;

function uniqueProductIds(orders: ItemList<Order> | undefined): string[] {
  return [...new Set((orders?.items ?? []).flatMap((order) => order.items.map((item) => item.productId)))];
}

/** Profile, recent orders with their products (one batch call), and recommendations. */
export const dashboardPlan = new AggregationPlan<{ userId: string }>('dashboard', { deadlineMs: 1_500 })
  .add('profile', {
    upstream: 'users',
    required: true,
    timeoutMs: 800,
    request: ({ input }) => ({ url: `/users/${encodeURIComponent(input.userId)}` }),
    map: (data: User) => data,
  })
  .add('orders', {
    upstream: 'orders',
    required: true,
    timeoutMs: 800,
    request: ({ input }) => ({ url: '/orders', params: { userId: input.userId, limit: RECENT_ORDERS } }),
    map: (data: ItemList<Order>) => data,
  })
  .add('orderProducts', {
    upstream: 'catalog',
    required: false,
    timeoutMs: 600,
    shared: true,
    dependsOn: ['orders'],
    request: ({ results }) => {
      const ids = uniqueProductIds(results.orders);
      return ids.length ? { url: '/products', params: { ids: ids.join(',') } } : null;
    },
    map: (data: ItemList<Product>) => data.items,
    empty: [] as Product[],
  })
  .add('recommendations', {
    upstream: 'catalog',
    required: false,
    timeoutMs: 600,
    request: ({ input }) => ({ url: '/recommendations', params: { userId: input.userId } }),
    map: (data: { productIds: string[] }) => data.productIds,
  })
  .add('recommendedProducts', {
    upstream: 'catalog',
    required: false,
    timeoutMs: 600,
    shared: true,
    dependsOn: ['recommendations'],
    request: ({ results }) =>
      results.recommendations?.length ? { url: '/products', params: { ids: results.recommendations.join(',') } } : null,
    map: (data: ItemList<Product>) => data.items,
    empty: [] as Product[],
  });
