import type { AggregationResult, PlanResults } from '@gateway/kernel';
import type { Product } from '../catalog.types';
import type { dashboardPlan } from './dashboard.plan';

type DashboardResults = PlanResults<typeof dashboardPlan>;

const productCard = (p: Product) => ({
  id: p.id,
  name: p.name,
  price: p.price,
  image: p.images.medium,
  rating: p.rating,
  inStock: p.stock > 0,
});

/** The SPA's dashboard: everything for the first screen in one answer. */
export function dashboardView({ data }: AggregationResult<DashboardResults>) {
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
