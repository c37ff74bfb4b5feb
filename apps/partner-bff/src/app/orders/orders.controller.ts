import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation } from '@nestjs/swagger';
import { Aggregator, Idempotent, OwnCustomer, Scopes } from '@gateway/kernel';
import { v1Order, V1PlacedOrder } from '../v1-contract';
import { CreateOrderDto } from './create-order.dto';
import { createOrderPlan } from './create-order.plan';

@Controller('v1/orders')
export class OrdersController {
  constructor(private readonly aggregator: Aggregator) {}

  @Post()
  @ApiOperation({
    summary: 'Place an order',
    description:
      "Places an order for one of the key's own customers (403 for any other). Send an `Idempotency-Key` so a retried POST returns the first order instead of a second.",
  })
  @ApiCreatedResponse({ type: V1PlacedOrder, description: 'The order placed' })
  @HttpCode(201)
  @Scopes('orders:write')
  @Idempotent()
  async create(@Body(OwnCustomer('customer_id')) body: CreateOrderDto): Promise<V1PlacedOrder> {
    const { data } = await this.aggregator.run(createOrderPlan, body);
    return { ...v1Order(data.order!), external_reference: body.external_reference ?? null };
  }
}
