import type { Availability, Order, Product } from './partner.types';

/**
 * The /v1 shapes. Field names here are a published contract: add fields, never
 * rename or remove them within v1.
 */
export const v1Product = (p: Product) => ({
  product_id: p.id,
  name: p.name,
  description: p.description,
  category: p.category,
  unit_price: { amount: p.price.amount, currency: p.price.currency },
  in_stock: p.stock > 0,
});

export const v1Availability = (a: Availability) => ({
  product_id: a.sku,
  available: a.available,
  quantity: a.stock,
});

export const v1Order = (o: Order) => ({
  order_id: o.id,
  customer_id: o.userId,
  status: o.status,
  lines: o.items.map((i) => ({ product_id: i.productId, quantity: i.quantity, unit_price: i.unitPrice })),
  total: { amount: o.total, currency: o.currency },
  created_at: o.createdAt,
});
