import { Module } from '@nestjs/common';

import { InventoryChangedConsumer } from '../listings/inventory-changed.consumer';
import { ListingsService } from '../listings/listings.service';
import { CatalogCache } from '../matching/catalog-cache';
import { OrderCanceledConsumer } from './order-canceled.consumer';
import { OrderCancellationService } from './order-cancellation.service';
import { OrderPulledConsumer } from './order-pulled.consumer';
import { OrdersService } from './orders.service';

@Module({
  providers: [
    CatalogCache,
    ListingsService,
    OrdersService,
    OrderCancellationService,
    OrderPulledConsumer,
    OrderCanceledConsumer,
    InventoryChangedConsumer,
  ],
  exports: [CatalogCache, ListingsService, OrdersService],
})
export class OrdersModule {}
