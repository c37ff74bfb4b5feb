import { ApiProperty } from '@nestjs/swagger';
import type { AggregationResult, PlanResults } from '@gateway/kernel';
import { CompactProduct, compactProduct, smallAvatar } from '../compact';
import { HOME_FEATURED, HOME_ORDERS, type homePlan } from './home.plan';

export class HomeOrder {
  @ApiProperty({ example: 'o1' }) id: string;
  @ApiProperty() status: string;
  @ApiProperty({ example: '39.98 EUR' }) total: string;
}

/** The phone's home screen (GET /api/home), before `meta`. */
export class HomeScreen {
  @ApiProperty() name: string;
  @ApiProperty({ description: 'A 64px avatar URL' }) avatar: string;
  @ApiProperty({ type: [HomeOrder], maxItems: HOME_ORDERS }) orders: HomeOrder[];
  @ApiProperty({ type: [CompactProduct], maxItems: HOME_FEATURED }) featured: CompactProduct[];
}

/** Compact home screen: name, small avatar, last orders, featured products (`inStock` live from inventory; null when it cannot say). */
export function homeView({ data }: AggregationResult<PlanResults<typeof homePlan>>): HomeScreen {
  const { profile, orders, featured, stock } = data;
  return {
    name: profile!.displayName,
    avatar: smallAvatar(profile!.avatarUrl),
    orders: (orders ?? []).slice(0, HOME_ORDERS).map((o) => ({ id: o.id, status: o.status, total: `${o.total.toFixed(2)} ${o.currency}` })),
    featured: (featured ?? []).map((p) => compactProduct(p, stock ? (stock.get(p.id) ?? null) : null)),
  };
}
