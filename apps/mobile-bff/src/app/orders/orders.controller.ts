import { Controller, Get, Param } from '@nestjs/common';
import { Aggregator, CurrentPrincipal, ErrorCode, GatewayError, Scopes, type Principal } from '@gateway/kernel';
import { OrderIdParams } from './order-id.params';
import { orderPlan } from './order.plan';

@Controller('api/orders')
export class OrdersController {
  constructor(private readonly aggregator: Aggregator) {}

  /** One of the caller's orders, compact. Someone else's order is "not found", not "forbidden". */
  @Get(':id')
  @Scopes('orders:read')
  async order(@CurrentPrincipal() principal: Principal, @Param() params: OrderIdParams) {
    const { data } = await this.aggregator.run(orderPlan, { orderId: params.id });
    const order = data.order!;
    if (order.userId !== principal.id) throw new GatewayError(ErrorCode.NotFound, `order ${params.id} not found`);
    return {
      id: order.id,
      status: order.status,
      total: `${order.total.toFixed(2)} ${order.currency}`,
      itemCount: order.items.reduce((n, i) => n + i.quantity, 0),
      placed: order.createdAt.slice(0, 10),
    };
  }
}
