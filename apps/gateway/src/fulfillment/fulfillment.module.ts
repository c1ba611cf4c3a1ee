import { Module } from '@nestjs/common';

import { AuditModule } from '../audit/audit.module';
import { FulfillmentOrdersController } from './fulfillment-orders.controller';
import { FulfillmentService } from './fulfillment.service';
import { InventoryController } from './inventory.controller';

/** The fulfillment-order and inventory routes, answered by the fulfillment service. */
@Module({
  imports: [AuditModule],
  controllers: [FulfillmentOrdersController, InventoryController],
  providers: [FulfillmentService],
})
export class FulfillmentModule {}
