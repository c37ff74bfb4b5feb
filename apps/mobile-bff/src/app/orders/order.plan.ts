import { AggregationPlan } from '@gateway/kernel';
import type { Order } from '../mobile.types';

export const orderPlan = new AggregationPlan<{ orderId: string }>('mobile-order', { deadlineMs: 1_000 }).add('order', {
  upstream: 'orders',
  required: true,
  request: ({ input }) => ({ url: `/orders/${encodeURIComponent(input.orderId)}` }),
  map: (data: Order) => data,
});
