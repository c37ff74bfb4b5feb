import { Controller, Get, Query } from '@nestjs/common';
import { Aggregator, CursorPageQuery, decodeCursor, nextCursor, Public } from '@gateway/kernel';
import { compactProduct } from '../compact';
import { productsPagePlan } from './products-page.plan';

@Controller('api/products')
export class ProductsController {
  constructor(private readonly aggregator: Aggregator) {}

  /** Product list in cursor pages (`?cursor=` from the previous page's `nextCursor`). Public. */
  @Public()
  @Get()
  async list(@Query() query: CursorPageQuery) {
    const offset = decodeCursor(query.cursor);
    const { data } = await this.aggregator.run(productsPagePlan, { offset, limit: query.limit });
    const page = data.page!;
    return { items: page.items.map((p) => compactProduct(p)), nextCursor: nextCursor(offset, query.limit, page.total) };
  }
}
