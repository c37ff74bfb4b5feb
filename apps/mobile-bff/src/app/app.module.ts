import { Module } from '@nestjs/common';
import { ConditionalResponseModule, LiveModule } from '@gateway/kernel';
import { HomeController } from './home/home.controller';
import { OrdersController } from './orders/orders.controller';
import { ProductsController } from './products/products.controller';

/** mobile-bff: compact payloads for the phone apps, with ETag/304 and br/gzip. */
@Module({
  imports: [ConditionalResponseModule.forRoot(), LiveModule.forRoot({ path: '/api/live', transport: 'websocket' })],
  controllers: [HomeController, OrdersController, ProductsController],
})
export class AppModule {}
