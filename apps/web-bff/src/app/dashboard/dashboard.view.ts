import { ApiProperty } from '@nestjs/swagger';
import type { AggregationResult, PlanResults } from '@gateway/kernel';
import type { Product } from '../catalog.types';
import { Money } from '../money/money.dto';
import { RECENT_ORDERS, type dashboardPlan } from './dashboard.plan';

type DashboardResults = PlanResults<typeof dashboardPlan>;

export class ProductCard {
  @ApiProperty({ example: 'p1' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: Money }) price: Money;
  @ApiProperty({ description: 'Medium image URL' }) image: string;
  @ApiProperty({ minimum: 0, maximum: 5 }) rating: number;
  @ApiProperty() inStock: boolean;
}

export class DashboardUser {
  @ApiProperty() id: string;
  @ApiProperty() displayName: string;
  @ApiProperty() email: string;
  @ApiProperty() avatarUrl: string;
  @ApiProperty() tier: string;
  @ApiProperty({ format: 'date' }) memberSince: string;
}

export class DashboardOrderItem {
  @ApiProperty() productId: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) quantity: number;
  @ApiProperty() unitPrice: number;
  @ApiProperty({ type: ProductCard, nullable: true, description: 'Null when the catalog could not say (see meta)' }) product: ProductCard | null;
}

export class DashboardOrder {
  @ApiProperty() id: string;
  @ApiProperty() status: string;
  @ApiProperty({ type: Money }) total: Money;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: [DashboardOrderItem] }) items: DashboardOrderItem[];
}

/** The SPA's dashboard (GET /api/dashboard), before `meta`. */
export class DashboardPage {
  @ApiProperty({ type: DashboardUser }) user: DashboardUser;
  @ApiProperty({ type: [DashboardOrder], maxItems: RECENT_ORDERS }) recentOrders: DashboardOrder[];
  @ApiProperty({ type: [ProductCard] }) recommendations: ProductCard[];
}

const productCard = (p: Product): ProductCard => ({
  id: p.id,
  name: p.name,
  price: p.price,
  image: p.images.medium,
  rating: p.rating,
  inStock: p.stock > 0,
});

/** The SPA's dashboard: everything for the first screen in one answer. */
export function dashboardView({ data }: AggregationResult<DashboardResults>): DashboardPage {
  const products = new Map((data.orderProducts ?? []).map((p) => [p.id, p]));
  const profile = data.profile!;
  return {
    user: {
      id: profile.id,
      displayName: profile.displayName,
      email: profile.email,
      avatarUrl: profile.avatarUrl,
      tier: profile.tier,
      memberSince: profile.memberSince,
    },
    recentOrders: (data.orders?.items ?? []).map((order) => ({
      id: order.id,
      status: order.status,
      total: { amount: order.total, currency: order.currency },
      createdAt: order.createdAt,
      items: order.items.map((item) => {
        const product = products.get(item.productId);
        return {
          productId: item.productId,
          quantity: item.quantity,
          unitPrice: item.unitPrice,
          product: product ? productCard(product) : null,
        };
      }),
    })),
    recommendations: (data.recommendedProducts ?? []).map(productCard),
  };
}
