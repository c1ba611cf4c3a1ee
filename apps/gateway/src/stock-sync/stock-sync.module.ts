import { Module } from '@nestjs/common';

import { AuditModule } from '../audit/audit.module';
import { LimitsModule } from '../limits/limits.module';
import { StockSyncController } from './stock-sync.controller';
import { StockSyncService } from './stock-sync.service';

/** Safety stock (mapping) and the stock drift check (ingestion). */
@Module({
  imports: [AuditModule, LimitsModule],
  controllers: [StockSyncController],
  providers: [StockSyncService],
})
export class StockSyncModule {}
