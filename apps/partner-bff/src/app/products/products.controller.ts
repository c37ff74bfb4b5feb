import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Aggregator, CursorPageQuery, decodeCursor, nextCursor, Scopes } from '@gateway/kernel';
import { v1Availability, V1Availability, v1Product, V1ProductPage } from '../v1-contract';
import { ProductIdParams } from './product-id.params';
import { availabilityPlan, productsPagePlan } from './products.plans';

@Scopes('products:read')
@Controller('v1/products')
export class ProductsController {
  constructor(private readonly aggregator: Aggregator) {}

  @Get()
  @ApiOperation({ summary: 'Products', description: "The catalog in cursor pages, in the v1 contract's field names." })
  @ApiOkResponse({ type: V1ProductPage })
  async list(@Query() query: CursorPageQuery): Promise<V1ProductPage> {
    const offset = decodeCursor(query.cursor);
    const { data } = await this.aggregator.run(productsPagePlan, { offset, limit: query.limit });
    const page = data.page!;
    return { data: page.items.map(v1Product), next_cursor: nextCursor(offset, query.limit, page.total) };
  }

  @Get(':id/availability')
  @ApiOperation({ summary: 'Availability', description: 'Whether a product can be ordered now, and how many (live, from inventory).' })
  @ApiOkResponse({ type: V1Availability })
  async availability(@Param() params: ProductIdParams): Promise<V1Availability> {
    const { data } = await this.aggregator.run(availabilityPlan, { productId: params.id });
    return v1Availability(data.availability!);
  }
}
