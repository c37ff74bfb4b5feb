import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Aggregator, CurrentPrincipal, Idempotent, Scopes, type Principal } from '@gateway/kernel';
import { CreateOrderDto } from './create-order.dto';
import { createOrderPlan } from './create-order.plan';

@Controller('api/orders')
export class OrdersController {
  constructor(private readonly aggregator: Aggregator) {}

  /** Places an order for the caller; an Idempotency-Key makes a retry safe. */
  @Post()
  @HttpCode(201)
  @Scopes('orders:write')
  @Idempotent()
  async create(@CurrentPrincipal() principal: Principal, @Body() body: CreateOrderDto) {
    const { data } = await this.aggregator.run(createOrderPlan, { userId: principal.id, order: body });
    const order = data.order!;
    return {
      id: order.id,
      status: order.status,
      total: { amount: order.total, currency: order.currency },
      items: order.items,
      createdAt: order.createdAt,
    };
  }
}
