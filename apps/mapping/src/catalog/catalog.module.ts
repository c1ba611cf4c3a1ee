import { Module } from '@nestjs/common';

import { OrderQueueService } from '../orders/order-queue.service';
import { OrdersModule } from '../orders/orders.module';
import { CatalogService } from './catalog.service';
import { ImportJobs } from './import-jobs';
import { MappingController } from './mapping.controller';
import { SkuImportRecords } from './sku-import-records';

/** The catalog, name rules and unmapped queue, answered over the TCP transport. */
@Module({
  imports: [OrdersModule],
  controllers: [MappingController],
  providers: [CatalogService, OrderQueueService, SkuImportRecords, ImportJobs],
  exports: [CatalogService, OrderQueueService],
})
export class CatalogModule {}
