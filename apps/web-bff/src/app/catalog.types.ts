import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Money } from './money/money.dto';

export class ProductImages {
  @ApiProperty() small: string;
  @ApiProperty() medium: string;
  @ApiProperty() large: string;
}

/**
 * The catalog, users, orders and reviews services' shapes this app reads. A
 * catalog product is also what /api/catalog passes through, so it is documented.
 */
export class Product {
  @ApiProperty({ example: 'p1' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: Money }) price: Money;
  @ApiProperty() category: string;
  @ApiProperty({ type: ProductImages }) images: ProductImages;
  @ApiProperty({ type: 'integer', minimum: 0 }) stock: number;
  @ApiProperty({ minimum: 0, maximum: 5 }) rating: number;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ type: [String] }) relatedIds: string[];
}

/** A page of the catalog (`GET /products`), passed through /api/catalog/products. */
export class ProductList {
  @ApiProperty({ type: [Product], maxItems: 100 }) items: Product[];
  @ApiProperty({ type: 'integer', minimum: 0 }) total: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100 }) limit?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0 }) offset?: number;
  @ApiPropertyOptional({ type: 'string', nullable: true, description: 'The next page\'s cursor; null on the last page' }) nextCursor?: string | null;
}

export interface User {
  id: string;
  username: string;
  displayName: string;
  email: string;
  avatarUrl: string;
  memberSince: string;
  tier: string;
}

export interface Order {
  id: string;
  userId: string;
  status: string;
  items: { productId: string; quantity: number; unitPrice: number }[];
  total: number;
  currency: string;
  createdAt: string;
}

export interface Review {
  id: string;
  productId: string;
  userId: string;
  rating: number;
  title: string;
  body: string;
  createdAt: string;
}

export interface ItemList<T> {
  items: T[];
  total?: number;
}

/** inventory.v1 Availability (gRPC), the fields this app reads. */
export interface Availability {
  sku: string;
  stock: number;
  available: boolean;
}
