import { Controller, Get, Param } from '@nestjs/common';
import { Aggregator, aggregatedResponse, Public } from '@gateway/kernel';
import { ProductIdParams } from './product-id.params';
import { productPagePlan } from './product-page.plan';
import { productPageView } from './product-page.view';

@Controller('api/products')
export class ProductsController {
  constructor(private readonly aggregator: Aggregator) {}

  /** Product page: the product with its reviews and related products. Public. */
  @Public()
  @Get(':id')
  async productPage(@Param() params: ProductIdParams) {
    const result = await this.aggregator.run(productPagePlan, { productId: params.id });
    return aggregatedResponse(result, productPageView(result));
  }
}
