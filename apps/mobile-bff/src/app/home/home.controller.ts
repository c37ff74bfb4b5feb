import { Controller, Get } from '@nestjs/common';
import { Aggregator, aggregatedResponse, CurrentPrincipal, Scopes, type Principal } from '@gateway/kernel';
import { compactProduct, smallAvatar } from '../compact';
import { HOME_ORDERS, homePlan } from './home.plan';

@Controller('api/home')
export class HomeController {
  constructor(private readonly aggregator: Aggregator) {}

  /** Compact home screen: name, small avatar, last 3 orders, featured products (`inStock` live from inventory; null when it cannot say). */
  @Get()
  @Scopes('profile', 'orders:read')
  async home(@CurrentPrincipal() principal: Principal) {
    const result = await this.aggregator.run(homePlan, { userId: principal.id });
    const { profile, orders, featured, stock } = result.data;
    return aggregatedResponse(result, {
      name: profile!.displayName,
      avatar: smallAvatar(profile!.avatarUrl),
      orders: (orders ?? []).slice(0, HOME_ORDERS).map((o) => ({ id: o.id, status: o.status, total: `${o.total.toFixed(2)} ${o.currency}` })),
      featured: (featured ?? []).map((p) => compactProduct(p, stock ? (stock.get(p.id) ?? null) : null)),
    });
  }
}
