import { Module } from '@nestjs/common';

import { OrdersModule } from '../orders/orders.module';
import { ListingLinksController, ListingLinksService } from './listing-links.service';
import { ListingsImportedConsumer } from './listings-imported.consumer';

/** Listings imported from RMS: the consumer, the listings page and link acceptance (issue 18). */
@Module({
  imports: [OrdersModule],
  controllers: [ListingLinksController],
  providers: [ListingsImportedConsumer, ListingLinksService],
})
export class ImportedListingsModule {}
