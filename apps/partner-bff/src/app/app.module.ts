import { Module } from '@nestjs/common';
import { OrdersController } from './orders/orders.controller';
import { AvailabilityController } from './products/availability.controller';
import { ProductsController } from './products/products.controller';

/** partner-bff: the stable, versioned /v1 contract for third parties. */
@Module({ controllers: [ProductsController, AvailabilityController, OrdersController] })
export class AppModule {}
