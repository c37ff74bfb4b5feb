import { ApiProperty } from '@nestjs/swagger';
import type { Availability, Order, Product } from './partner.types';

/*
 * The /v1 shapes. Field names here are a published contract: add fields, never
 * rename or remove them within v1. Each class is the field list the docs
 * publish and the type its view must return; the committed snapshot
 * (src/contract/v1.openapi.json) fails the tests on a breaking change.
 */

export class V1Money {
  @ApiProperty({ example: 19.99 }) amount: number;
  @ApiProperty({ example: 'EUR', description: 'ISO 4217 code' }) currency: string;
}

export class V1Product {
  @ApiProperty({ example: 'p1' }) product_id: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty() category: string;
  @ApiProperty({ type: V1Money }) unit_price: V1Money;
  @ApiProperty() in_stock: boolean;
}

export class V1ProductPage {
  @ApiProperty({ type: [V1Product], maxItems: 100 }) data: V1Product[];
  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; null on the last' }) next_cursor: string | null;
}

export class V1Availability {
  @ApiProperty({ example: 'p1' }) product_id: string;
  @ApiProperty() available: boolean;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Units that can be ordered now' }) quantity: number;
}

/** GET /v1/availability: the products found, in the order asked, and the ids no product has. */
export class V1AvailabilityBatch {
  @ApiProperty({ type: [V1Availability], maxItems: 50 }) data: V1Availability[];
  @ApiProperty({ type: 'array', items: { type: 'string', example: 'p999' }, maxItems: 50 }) not_found: string[];
}

export class V1OrderLine {
  @ApiProperty({ example: 'p1' }) product_id: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1000 }) quantity: number;
  @ApiProperty() unit_price: number;
}

export class V1Order {
  @ApiProperty({ example: 'o1' }) order_id: string;
  @ApiProperty({ example: 'u1' }) customer_id: string;
  @ApiProperty() status: string;
  @ApiProperty({ type: [V1OrderLine], maxItems: 100 }) lines: V1OrderLine[];
  @ApiProperty({ type: V1Money }) total: V1Money;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

/** The answer to POST /v1/orders: the order, and the partner's own reference. */
export class V1PlacedOrder extends V1Order {
  @ApiProperty({ type: 'string', nullable: true, description: 'Your external_reference, or null' }) external_reference: string | null;
}

export const v1Product = (p: Product): V1Product => ({
  product_id: p.id,
  name: p.name,
  description: p.description,
  category: p.category,
  unit_price: { amount: p.price.amount, currency: p.price.currency },
  in_stock: p.stock > 0,
});

export const v1Availability = (a: Availability): V1Availability => ({
  product_id: a.sku,
  available: a.available,
  quantity: a.stock,
});

export const v1Order = (o: Order): V1Order => ({
  order_id: o.id,
  customer_id: o.userId,
  status: o.status,
  lines: o.items.map((i) => ({ product_id: i.productId, quantity: i.quantity, unit_price: i.unitPrice })),
  total: { amount: o.total, currency: o.currency },
  created_at: o.createdAt,
});
