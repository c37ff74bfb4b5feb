import { Controller, Get } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Aggregator, aggregatedResponse, ApiAggregatedResponse, CurrentPrincipal, Scopes, type Principal } from '@gateway/kernel';
import { dashboardPlan } from './dashboard.plan';
import { DashboardPage, dashboardView } from './dashboard.view';

@Controller('api/dashboard')
export class DashboardController {
  constructor(private readonly aggregator: Aggregator) {}

  @Get()
  @ApiOperation({ summary: 'Dashboard', description: "The caller's profile, recent orders with their products, and recommendations." })
  @ApiAggregatedResponse(DashboardPage)
  @Scopes('profile', 'orders:read')
  async dashboard(@CurrentPrincipal() principal: Principal) {
    const result = await this.aggregator.run(dashboardPlan, { userId: principal.id });
    return aggregatedResponse(result, dashboardView(result));
  }
}
