import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type LastStockDriftView,
  SafetyStockBody,
  type ShopStockSettingsView,
  type SkuSafetyStockView,
} from '@smartship/contracts';

import { CurrentTenant, Requires } from '../access/access.decorators';
import type { TenantPrincipal } from '../access/principal';
import { ApiErrors } from '../docs/api-errors';
import { uuidParam } from '../http/gateway-validation.pipe';
import { StockSyncService } from './stock-sync.service';

const SHOP_ID = uuidParam('id');
const SKU_ID = uuidParam('id');

const RULE =
  'Rakuten is shown min over the linked SKUs of floor((available − SKU safety stock) / perUnit) − shop safety stock, never below 0.';

/** Safety stock per shop and per SKU, and the stock drift check (README "Stock: safety stock and drift"). */
@ApiTags('stock')
@ApiBearerAuth()
@Controller('api/v1')
export class StockSyncController {
  constructor(private readonly stock: StockSyncService) {}

  @Get('shops/:id/stock-settings')
  @Requires('read')
  @ApiOperation({
    summary: "The shop's stock settings (safety stock)",
    description: `Defaults when never set: safetyStock 0, updatedAt null. ${RULE}`,
  })
  @ApiOkResponse({ description: '{ shopId, safetyStock, updatedAt }' })
  @ApiErrors(400, 401, 403, 404, 503)
  shopSettings(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', SHOP_ID) id: string,
  ): Promise<ShopStockSettingsView> {
    return this.stock.shopSettings(tenant, id);
  }

  @Put('shops/:id/stock-settings')
  @Requires('shops.settings')
  @ApiOperation({
    summary: "Replace the shop's stock settings (safety stock)",
    description: `safetyStock 0..99999 units held back on every listing of the shop. ${RULE} The shop's listings whose quantity moves are pushed to Rakuten again (republished). Audited.`,
  })
  @ApiOkResponse({ description: '{ shopId, safetyStock, updatedAt, republished }' })
  @ApiErrors(400, 401, 403, 404, 413, 415, 503)
  putShopSettings(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', SHOP_ID) id: string,
    @Body() body: SafetyStockBody,
  ): Promise<ShopStockSettingsView> {
    return this.stock.putShopSettings(tenant, id, body);
  }

  @Get('skus/:id/safety-stock')
  @Requires('read')
  @ApiOperation({ summary: "The SKU's safety stock (0 when never set)" })
  @ApiOkResponse({ description: '{ skuId, skuCode, safetyStock, updatedAt }' })
  @ApiErrors(400, 401, 403, 404, 503)
  skuSafetyStock(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', SKU_ID) id: string,
  ): Promise<SkuSafetyStockView> {
    return this.stock.skuSafetyStock(tenant, id);
  }

  @Put('skus/:id/safety-stock')
  @Requires('fulfillment.write')
  @ApiOperation({
    summary: "Replace the SKU's safety stock",
    description: `safetyStock 0..99999 units of the SKU held back on every listing linked to it (in a bundle, before dividing by the units per bundle). ${RULE} Listings whose quantity moves are pushed again (republished). Audited.`,
  })
  @ApiOkResponse({ description: '{ skuId, skuCode, safetyStock, updatedAt, republished }' })
  @ApiErrors(400, 401, 403, 404, 413, 415, 503)
  putSkuSafetyStock(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', SKU_ID) id: string,
    @Body() body: SafetyStockBody,
  ): Promise<SkuSafetyStockView> {
    return this.stock.putSkuSafetyStock(tenant, id, body);
  }

  @Post('shops/:id/stock-drift-check')
  @Requires('shops.keys')
  @HttpCode(200)
  @ApiOperation({
    summary: "Read the shop's stock back from Rakuten now and repair differences",
    description:
      'Reads every pushed listing with inventories.bulk.get (1000 per call; counts against the rakuten_calls limit), records each listing whose Rakuten quantity differs from the platform’s, pushes the platform’s value again and raises one stock_drift alert. 409 while a check of the shop runs. Audited.',
  })
  @ApiOkResponse({
    description:
      '{ check: { id, trigger, startedAt, finishedAt, listings, differences, calls, error }, drifts: [...] }',
  })
  @ApiErrors(400, 401, 403, 404, 409, 429, 503)
  driftCheck(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', SHOP_ID) id: string,
  ): Promise<LastStockDriftView> {
    return this.stock.driftCheck(tenant, id);
  }

  @Get('shops/:id/stock-drift')
  @Requires('read')
  @ApiOperation({
    summary: "The shop's last stock drift check and its differences",
    description:
      '`{ check: null, drifts: [] }` before the first check. Each drift: manageNumber, variantId, rakutenQuantity (null: Rakuten had no row), ourQuantity, foundAt, repairedAt (null while the repair push is pending).',
  })
  @ApiOkResponse({ description: '{ check, drifts }' })
  @ApiErrors(400, 401, 403, 404, 503)
  lastDrift(
    @CurrentTenant() tenant: TenantPrincipal,
    @Param('id', SHOP_ID) id: string,
  ): Promise<LastStockDriftView> {
    return this.stock.lastDrift(tenant, id);
  }
}
