import { Module } from '@nestjs/common';

import { OrdersModule } from '../orders/orders.module';
import { InventoryChangedConsumer } from './inventory-changed.consumer';
import { ListingLinksController, ListingLinksService } from './listing-links.service';
import { ListingsImportedConsumer } from './listings-imported.consumer';
import { ListingsService } from './listings.service';
import { StockSettingsController } from './stock-settings.controller';
import { StockSettingsService } from './stock-settings.service';

/**
 * Rakuten listings: the stock each should show as inventory.changed arrives, listings imported
 * from RMS (the listings page and link acceptance), and safety stock per shop and per SKU.
 */
@Module({
  imports: [OrdersModule],
  controllers: [ListingLinksController, StockSettingsController],
  providers: [
    ListingsService,
    InventoryChangedConsumer,
    ListingsImportedConsumer,
    ListingLinksService,
    StockSettingsService,
  ],
})
export class ListingsModule {}
