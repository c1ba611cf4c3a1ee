import { Module } from '@nestjs/common';

import { AuditModule } from '../audit/audit.module';
import { FulfillmentOrdersController } from './fulfillment-orders.controller';
import { FulfillmentService } from './fulfillment.service';
import { InventoryController } from './inventory.controller';
import { ShopFulfillmentSettingsController } from './shop-fulfillment-settings.controller';

/**
 * The fulfillment-order, inventory and shop fulfillment-settings routes, answered by the
 * fulfillment service.
 */
@Module({
  imports: [AuditModule],
  controllers: [
    FulfillmentOrdersController,
    InventoryController,
    ShopFulfillmentSettingsController,
  ],
  providers: [FulfillmentService],
})
export class FulfillmentModule {}
