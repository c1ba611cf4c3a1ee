import { Controller, UseFilters } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  STOCK_SYNC_CALLS,
  ShopStockSettingsGetCall,
  ShopStockSettingsPutCall,
  SkuSafetyStockGetCall,
  SkuSafetyStockPutCall,
} from '@smartship/contracts';
import { ServiceCallFilter, parseCall } from '@smartship/service-kit';

import { StockSettingsService } from './stock-settings.service';

/** The safety-stock calls the gateway makes over the TCP transport (validated again here). */
@Controller()
@UseFilters(ServiceCallFilter)
export class StockSettingsController {
  constructor(private readonly settings: StockSettingsService) {}

  @MessagePattern(STOCK_SYNC_CALLS.shopSettingsGet)
  shopSettingsGet(@Payload() payload: unknown) {
    return this.settings.shopSettings(parseCall(ShopStockSettingsGetCall, payload));
  }

  @MessagePattern(STOCK_SYNC_CALLS.shopSettingsPut)
  shopSettingsPut(@Payload() payload: unknown) {
    return this.settings.putShopSettings(parseCall(ShopStockSettingsPutCall, payload));
  }

  @MessagePattern(STOCK_SYNC_CALLS.skuSafetyStockGet)
  skuSafetyStockGet(@Payload() payload: unknown) {
    return this.settings.skuSafetyStock(parseCall(SkuSafetyStockGetCall, payload));
  }

  @MessagePattern(STOCK_SYNC_CALLS.skuSafetyStockPut)
  skuSafetyStockPut(@Payload() payload: unknown) {
    return this.settings.putSkuSafetyStock(parseCall(SkuSafetyStockPutCall, payload));
  }
}
