import { AggregationPlan } from '@gateway/kernel';
import type { Order } from '../partner.types';
import type { CreateOrderDto } from './create-order.dto';

export const createOrderPlan = new AggregationPlan<CreateOrderDto>('partner-create-order', { deadlineMs: 3_000 }).add('order', {
  upstream: 'orders',
  required: true,
  request: ({ input }) => ({
    method: 'POST',
    url: '/orders',
    data: { userId: input.customer_id, items: input.lines.map((l) => ({ productId: l.product_id, quantity: l.quantity })) },
  }),
  map: (data: Order) => data,
});
