import { Module } from '@nestjs/common';
import { LiveModule, ProxyModule } from '@gateway/kernel';
import { Product, ProductList } from './catalog.types';
import { DashboardController } from './dashboard/dashboard.controller';
import { OrdersController } from './orders/orders.controller';
import { ProductsController } from './products/products.controller';

/** web-bff: rich pages for the browser SPA. */
@Module({
  imports: [
    ProxyModule.forRoot([
      {
        prefix: '/api/catalog',
        upstream: 'catalog',
        paths: ['/products', '/products/:id'],
        public: true,
        methods: ['GET', 'HEAD'],
        stripResponseHeaders: ['x-sim-instance'],
        responseTypes: { '/products': ProductList, '/products/:id': Product },
      },
    ]),
    // The same live stream as mobile-bff's WebSocket, as Server-Sent Events (EventSource resumes with Last-Event-ID).
    LiveModule.forRoot({ path: '/api/live', transport: 'sse' }),
  ],
  controllers: [DashboardController, ProductsController, OrdersController],
})
export class AppModule {}
