import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import { Aggregator, CurrentPrincipal, Idempotent, Scopes, type Principal } from '@gateway/kernel';
import { CreateOrderDto } from './create-order.dto';
import { createOrderPlan } from './create-order.plan';
import { PlacedOrder, placedOrderView } from './order.view';

@Controller('api/orders')
export class OrdersController {
  constructor(private readonly aggregator: Aggregator) {}

  @Post()
  @ApiOperation({ summary: 'Place an order', description: 'Places an order for the caller; an Idempotency-Key makes a retry safe.' })
  @ApiCreatedResponse({ type: PlacedOrder, description: 'The order placed' })
  @HttpCode(201)
  @Scopes('orders:write')
  @Idempotent()
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateOrderDto) {
    const { data } = await this.aggregator.run(createOrderPlan, { userId: principal.id, order: body });
    return placedOrderView(data.order!);
  }
}
