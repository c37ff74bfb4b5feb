import { ApiProperty } from '@nestjs/swagger';
import type { Order } from '../catalog.types';
import { Money } from '../money/money.dto';

export class PlacedOrderItem {
  @ApiProperty() productId: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) quantity: number;
  @ApiProperty() unitPrice: number;
}

/** An order as the SPA sees it once placed (POST /api/orders). */
export class PlacedOrder {
  @ApiProperty({ example: 'o1' }) id: string;
  @ApiProperty() status: string;
  @ApiProperty({ type: Money }) total: Money;
  @ApiProperty({ type: [PlacedOrderItem] }) items: PlacedOrderItem[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export const placedOrderView = (order: Order): PlacedOrder => ({
  id: order.id,
  status: order.status,
  total: { amount: order.total, currency: order.currency },
  items: order.items.map(({ productId, quantity, unitPrice }) => ({ productId, quantity, unitPrice })),
  createdAt: order.createdAt,
});
