import { Module } from '@nestjs/common';

import { CatalogCache } from '../matching/catalog-cache';
import { OrderCanceledConsumer } from './order-canceled.consumer';
import { OrderCancellationService } from './order-cancellation.service';
import { OrderPulledConsumer } from './order-pulled.consumer';
import { OrdersService } from './orders.service';

@Module({
  providers: [
    CatalogCache,
    OrdersService,
    OrderCancellationService,
    OrderPulledConsumer,
    OrderCanceledConsumer,
  ],
  exports: [CatalogCache, OrdersService],
})
export class OrdersModule {}
