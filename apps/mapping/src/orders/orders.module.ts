import { Module } from '@nestjs/common';

import { InventoryChangedConsumer } from '../listings/inventory-changed.consumer';
import { ListingsService } from '../listings/listings.service';
import { CatalogCache } from '../matching/catalog-cache';
import { OrderPulledConsumer } from './order-pulled.consumer';
import { OrdersService } from './orders.service';

@Module({
  providers: [
    CatalogCache,
    ListingsService,
    OrdersService,
    OrderPulledConsumer,
    InventoryChangedConsumer,
  ],
  exports: [CatalogCache, ListingsService, OrdersService],
})
export class OrdersModule {}
