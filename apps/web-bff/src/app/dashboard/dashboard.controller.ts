import { Controller, Get } from '@nestjs/common';
import { Aggregator, aggregatedResponse, CurrentPrincipal, Scopes, type Principal } from '@gateway/kernel';
import { dashboardPlan } from './dashboard.plan';
import { dashboardView } from './dashboard.view';

@Controller('api/dashboard')
export class DashboardController {
  constructor(private readonly aggregator: Aggregator) {}

  /** The caller's profile, recent orders with their products, and recommendations. */
  @Get()
  @Scopes('profile', 'orders:read')
  async dashboard(@CurrentPrincipal() principal: Principal) {
    const result = await this.aggregator.run(dashboardPlan, { userId: principal.id });
    return aggregatedResponse(result, dashboardView(result));
  }
}
