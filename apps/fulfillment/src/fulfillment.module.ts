import { Module } from '@nestjs/common';

import { CallTransactions } from './calls/call-transactions';
import { FulfillmentController } from './calls/fulfillment.controller';
import { CancellationService } from './cancellations/cancellation.service';
import { OrderCanceledConsumer } from './cancellations/order-canceled.consumer';
import { DispatchService } from './dispatch/dispatch.service';
import { Dispatcher } from './dispatch/dispatcher';
import { FulfillmentOrdersService } from './dispatch/fulfillment-orders.service';
import { OrderMappedConsumer } from './dispatch/order-mapped.consumer';
import { ShippingService } from './shipping/shipping.service';
import { FulfillmentSettingsService } from './shops/fulfillment-settings.service';
import { ShopUpdatedConsumer } from './shops/shop-updated.consumer';
import { InventoryService } from './stock/inventory.service';

/** Dispatch, stock, shipment confirmation and cancellations, with their consumers and calls. */
@Module({
  controllers: [FulfillmentController],
  providers: [
    CallTransactions,
    Dispatcher,
    DispatchService,
    OrderMappedConsumer,
    ShopUpdatedConsumer,
    CancellationService,
    OrderCanceledConsumer,
    FulfillmentOrdersService,
    ShippingService,
    InventoryService,
    FulfillmentSettingsService,
  ],
})
export class FulfillmentModule {}
