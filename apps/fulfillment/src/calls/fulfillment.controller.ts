import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  FULFILLMENT_CALLS,
  FulfillmentOrderRefCall,
  FulfillmentTimelineCall,
  ListFulfillmentOrdersCall,
  ListInventoryCall,
  SetInventoryCall,
  ShipFulfillmentOrderCall,
  ShopFulfillmentSettingsGetCall,
  ShopFulfillmentSettingsPutCall,
} from '@smartship/contracts';
import { ServiceCallFilter, parseCall } from '@smartship/service-kit';

import { FulfillmentOrdersService } from '../dispatch/fulfillment-orders.service';
import { ShippingService } from '../shipping/shipping.service';
import { FulfillmentSettingsService } from '../shops/fulfillment-settings.service';
import { InventoryService } from '../stock/inventory.service';

/** The calls the gateway makes over the TCP transport. Each payload is validated again here. */
@Controller()
@UseFilters(ServiceCallFilter)
export class FulfillmentController {
  constructor(
    private readonly orders: FulfillmentOrdersService,
    private readonly shipping: ShippingService,
    private readonly inventory: InventoryService,
    private readonly settings: FulfillmentSettingsService,
  ) {}

  @MessagePattern(FULFILLMENT_CALLS.list)
  list(@Payload() payload: unknown) {
    return this.orders.list(parseCall(ListFulfillmentOrdersCall, payload));
  }

  @MessagePattern(FULFILLMENT_CALLS.get)
  get(@Payload() payload: unknown) {
    return this.orders.get(parseCall(FulfillmentOrderRefCall, payload));
  }

  @MessagePattern(FULFILLMENT_CALLS.release)
  release(@Payload() payload: unknown) {
    return this.orders.release(parseCall(FulfillmentOrderRefCall, payload));
  }

  @MessagePattern(FULFILLMENT_CALLS.ship)
  ship(@Payload() payload: unknown) {
    return this.shipping.ship(parseCall(ShipFulfillmentOrderCall, payload));
  }

  @MessagePattern(FULFILLMENT_CALLS.timeline)
  timeline(@Payload() payload: unknown) {
    return this.orders.timeline(parseCall(FulfillmentTimelineCall, payload));
  }

  @MessagePattern(FULFILLMENT_CALLS.inventoryList)
  inventoryList(@Payload() payload: unknown) {
    return this.inventory.list(parseCall(ListInventoryCall, payload));
  }

  @MessagePattern(FULFILLMENT_CALLS.inventorySet)
  inventorySet(@Payload() payload: unknown) {
    return this.inventory.set(parseCall(SetInventoryCall, payload));
  }

  @MessagePattern(FULFILLMENT_CALLS.shopSettingsGet)
  shopSettingsGet(@Payload() payload: unknown) {
    return this.settings.get(parseCall(ShopFulfillmentSettingsGetCall, payload));
  }

  @MessagePattern(FULFILLMENT_CALLS.shopSettingsPut)
  shopSettingsPut(@Payload() payload: unknown) {
    return this.settings.put(parseCall(ShopFulfillmentSettingsPutCall, payload));
  }
}
