import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Aggregator, CurrentPrincipal, ErrorCode, GatewayError, Scopes, type Principal } from '@gateway/kernel';
import { OrderIdParams } from './order-id.params';
import { orderPlan } from './order.plan';
import { CompactOrder, compactOrder } from './order.view';

@Controller('api/orders')
export class OrdersController {
  constructor(private readonly aggregator: Aggregator) {}

  @Get(':id')
  @ApiOperation({ summary: 'One order', description: 'One of the caller\'s orders, compact. Someone else\'s order is "not found", not "forbidden".' })
  @ApiOkResponse({ type: CompactOrder })
  @Scopes('orders:read')
  async order(@CurrentPrincipal() principal: Principal, @Param() params: OrderIdParams) {
    const { data } = await this.aggregator.run(orderPlan, { orderId: params.id });
    const order = data.order!;
    if (order.userId !== principal.id) throw new GatewayError(ErrorCode.NotFound, `order ${params.id} not found`);
    return compactOrder(order);
  }
}
