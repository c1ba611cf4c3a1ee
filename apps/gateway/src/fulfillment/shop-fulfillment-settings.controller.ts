import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ShopFulfillmentSettingsBody,
  type ShopFulfillmentSettingsView,
} from '@smartship/contracts';

import { CurrentTenant, Requires } from '../access/access.decorators';
import type { TenantPrincipal } from '../access/principal';
import { ApiErrors } from '../docs/api-errors';
import { uuidParam } from '../http/gateway-validation.pipe';
import { ShopFulfillmentSettingsDoc } from './fulfillment-docs';
import { FulfillmentService } from './fulfillment.service';

const SHOP_ID = uuidParam('shopId');

/** A shop's fulfillment settings: split policy and the packing slip's sender block. */
@ApiTags('shops')
@ApiBearerAuth()
@Controller('api/v1/shops/:shopId/fulfillment-settings')
export class ShopFulfillmentSettingsController {
  constructor(private readonly fulfillment: FulfillmentService) {}

  @Get()
  @Requires('read')
  @ApiOperation({
    summary: "The shop's fulfillment settings (split policy, packing slip sender)",
    description:
      'A shop that never set them has the defaults: splitPolicy hold, sender null (the orderer is named), updatedAt null.',
  })
  @ApiOkResponse({ type: ShopFulfillmentSettingsDoc })
  @ApiErrors(400, 401, 403, 404, 503)
  get(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('shopId', SHOP_ID) shopId: string,
  ): Promise<ShopFulfillmentSettingsView> {
    return this.fulfillment.shopSettings(tenant, shopId);
  }

  @Put()
  @Requires('fulfillment.write')
  @ApiOperation({
    summary: "Replace the shop's fulfillment settings",
    description:
      'splitPolicy hold | ship_available, and the sender block printed as ご依頼主 on labels and packing slips (null: the orderer). The sender applies to fulfillment orders sent to the warehouse from now on. Switching to ship_available splits the shop’s packages already waiting for stock at once (those with lines in stock). Audited.',
  })
  @ApiOkResponse({ type: ShopFulfillmentSettingsDoc })
  @ApiErrors(400, 401, 403, 404, 413, 415, 503)
  put(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('shopId', SHOP_ID) shopId: string,
    @Body() body: ShopFulfillmentSettingsBody,
  ): Promise<ShopFulfillmentSettingsView> {
    return this.fulfillment.putShopSettings(tenant, shopId, body);
  }
}
