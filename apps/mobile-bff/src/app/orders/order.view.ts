import { ApiProperty } from '@nestjs/swagger';
import type { Order } from '../mobile.types';

/** One order, compact (GET /api/orders/:id). */
export class CompactOrder {
  @ApiProperty({ example: 'o1' }) id: string;
  @ApiProperty() status: string;
  @ApiProperty({ example: '39.98 EUR' }) total: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Units in the order' }) itemCount: number;
  @ApiProperty({ format: 'date', description: 'The day it was placed' }) placed: string;
}

export const compactOrder = (order: Order): CompactOrder => ({
  id: order.id,
  status: order.status,
  total: `${order.total.toFixed(2)} ${order.currency}`,
  itemCount: order.items.reduce((n, i) => n + i.quantity, 0),
  placed: order.createdAt.slice(0, 10),
});
