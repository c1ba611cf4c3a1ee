import { Module } from '@nestjs/common';

import { StockSettingsController } from './stock-settings.controller';
import { StockSettingsService } from './stock-settings.service';

/** Safety stock per shop and per SKU, answered over the TCP transport. */
@Module({
  controllers: [StockSettingsController],
  providers: [StockSettingsService],
})
export class StockSettingsModule {}
