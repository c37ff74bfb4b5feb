import { Controller, Get, Param, Query } from '@nestjs/common';
import { Aggregator, CursorPageQuery, decodeCursor, nextCursor, Scopes } from '@gateway/kernel';
import { v1Availability, v1Product } from '../v1-contract';
import { ProductIdParams } from './product-id.params';
import { availabilityPlan, productsPagePlan } from './products.plans';

@Scopes('products:read')
@Controller('v1/products')
export class ProductsController {
  constructor(private readonly aggregator: Aggregator) {}

  /** The catalog in cursor pages, in the v1 contract's field names. */
  @Get()
  async list(@Query() query: CursorPageQuery) {
    const offset = decodeCursor(query.cursor);
    const { data } = await this.aggregator.run(productsPagePlan, { offset, limit: query.limit });
    const page = data.page!;
    return { data: page.items.map(v1Product), next_cursor: nextCursor(offset, query.limit, page.total) };
  }

  /** Whether a product can be ordered now, and how many (live, from inventory). */
  @Get(':id/availability')
  async availability(@Param() params: ProductIdParams) {
    const { data } = await this.aggregator.run(availabilityPlan, { productId: params.id });
    return v1Availability(data.availability!);
  }
}
