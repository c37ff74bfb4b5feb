import { AggregationPlan } from '@gateway/kernel';
import type { Order } from '../catalog.types';
import type { CreateOrderDto } from './create-order.dto';

/** Forwards a validated order for the caller to the orders service. */
export const createOrderPlan = new AggregationPlan<{ userId: string; order: CreateOrderDto }>('create-order', {
  deadlineMs: 3_000,
}).add('order', {
  upstream: 'orders',
  required: true,
  request: ({ input }) => ({
    method: 'POST',
    url: '/orders',
    data: { userId: input.userId, items: input.order.items.map(({ productId, quantity }) => ({ productId, quantity })) },
  }),
  map: (data: Order) => data,
});
