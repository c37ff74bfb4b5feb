import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { Aggregator, CursorPageQuery, decodeCursor, nextCursor, Public } from '@gateway/kernel';
import { compactProduct } from '../compact';
import { productsPagePlan } from './products-page.plan';
import { ProductsPage } from './products.view';

@Controller('api/products')
export class ProductsController {
  constructor(private readonly aggregator: Aggregator) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Products', description: "Product list in cursor pages (`?cursor=` from the previous page's `nextCursor`). Public." })
  @ApiOkResponse({ type: ProductsPage })
  async list(@Query() query: CursorPageQuery): Promise<ProductsPage> {
    const offset = decodeCursor(query.cursor);
    const { data } = await this.aggregator.run(productsPagePlan, { offset, limit: query.limit });
    const page = data.page!;
    return { items: page.items.map((p) => compactProduct(p)), nextCursor: nextCursor(offset, query.limit, page.total) };
  }
}
