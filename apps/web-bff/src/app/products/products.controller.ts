import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Aggregator, aggregatedResponse, ApiAggregatedResponse, Public } from '@gateway/kernel';
import { ProductIdParams } from './product-id.params';
import { productPagePlan } from './product-page.plan';
import { ProductPage, productPageView } from './product-page.view';

@Controller('api/products')
export class ProductsController {
  constructor(private readonly aggregator: Aggregator) {}

  @Public()
  @Get(':id')
  @ApiOperation({ summary: 'Product page', description: 'The product with its reviews and related products. Public.' })
  @ApiAggregatedResponse(ProductPage)
  async productPage(@Param() params: ProductIdParams) {
    const result = await this.aggregator.run(productPagePlan, { productId: params.id });
    return aggregatedResponse(result, productPageView(result));
  }
}
