import { Controller, Get } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Aggregator, aggregatedResponse, ApiAggregatedResponse, PathParam, Public } from '@gateway/kernel';
import { PRODUCT_ID } from './product-id.param';
import { productPagePlan } from './product-page.plan';
import { ProductPage, productPageView } from './product-page.view';

@Controller('api/products')
export class ProductsController {
  constructor(private readonly aggregator: Aggregator) {}

  @Public()
  @Get(':id')
  @ApiOperation({ summary: 'Product page', description: 'The product with its reviews and related products. Public.' })
  @ApiAggregatedResponse(ProductPage)
  async productPage(@PathParam('id', PRODUCT_ID) id: string) {
    const result = await this.aggregator.run(productPagePlan, { productId: id });
    return aggregatedResponse(result, productPageView(result));
  }
}
