import { Controller, Get } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Aggregator, aggregatedResponse, ApiAggregatedResponse, CurrentPrincipal, Scopes, type Principal } from '@gateway/kernel';
import { homePlan } from './home.plan';
import { HomeScreen, homeView } from './home.view';

@Controller('api/home')
export class HomeController {
  constructor(private readonly aggregator: Aggregator) {}

  @Get()
  @ApiOperation({ summary: 'Home screen', description: 'Compact home screen: name, small avatar, last 3 orders, featured products (`inStock` live from inventory; null when it cannot say).' })
  @ApiAggregatedResponse(HomeScreen)
  @Scopes('profile', 'orders:read')
  async home(@CurrentPrincipal() principal: Principal) {
    const result = await this.aggregator.run(homePlan, { userId: principal.id });
    return aggregatedResponse(result, homeView(result));
  }
}
