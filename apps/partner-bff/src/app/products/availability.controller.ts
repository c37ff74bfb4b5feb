import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Aggregator, Scopes } from '@gateway/kernel';
import { v1Availability, V1AvailabilityBatch } from '../v1-contract';
import { AvailabilityQuery } from './availability.query';
import { batchAvailabilityPlan } from './products.plans';

@Scopes('products:read')
@Controller('v1/availability')
export class AvailabilityController {
  constructor(private readonly aggregator: Aggregator) {}

  @Get()
  @ApiOperation({
    summary: 'Availability of several products',
    description: "Several products' stock at once (live, from inventory), in the order asked; ids no product has are listed in `not_found`.",
  })
  @ApiOkResponse({ type: V1AvailabilityBatch })
  async batch(@Query() query: AvailabilityQuery): Promise<V1AvailabilityBatch> {
    const { data } = await this.aggregator.run(batchAvailabilityPlan, { productIds: query.ids });
    const found = data.availability!;
    const known = new Set(found.map((a) => a.sku));
    return { data: found.map(v1Availability), not_found: query.ids.filter((id) => !known.has(id)) };
  }
}
