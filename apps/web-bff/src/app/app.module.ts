import { Module } from '@nestjs/common';
import { ProxyModule } from '@gateway/kernel';
import { DashboardController } from './dashboard/dashboard.controller';
import { OrdersController } from './orders/orders.controller';
import { ProductsController } from './products/products.controller';

/** web-bff: rich pages for the browser SPA. */
@Module({
  imports: [
    ProxyModule.forRoot([
      { prefix: '/api/catalog', upstream: 'catalog', paths: ['/products', '/products/:id'], public: true, methods: ['GET', 'HEAD'], stripResponseHeaders: ['x-sim-instance'] },
    ]),
  ],
  controllers: [DashboardController, ProductsController, OrdersController],
})
export class AppModule {}
