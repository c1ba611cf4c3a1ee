import { Type } from 'class-transformer';
import { IsUUID, ValidateNested } from 'class-validator';

import { IsCount } from '../decorators';
import { CallActor, ShopRefCall } from './shops.calls';
import { MAX_SAFETY_STOCK } from '../constants/catalog';

/*
 * Stock sync calls (README "Stock: safety stock and drift"). Safety stock is owned by mapping,
 * which computes the quantity every listing shows; the drift check by ingestion, which alone
 * calls Rakuten. The same classes validate the HTTP body in the gateway and the call in the
 * service.
 */

export const STOCK_SYNC_CALLS = {
  /** A shop's stock settings (mapping). */
  shopSettingsGet: 'mapping.stock-settings.get',
  /** Replaces a shop's stock settings and re-derives its listings (mapping). */
  shopSettingsPut: 'mapping.stock-settings.put',
  /** A SKU's safety stock (mapping). */
  skuSafetyStockGet: 'mapping.sku-safety-stock.get',
  /** Replaces a SKU's safety stock and re-derives the listings linked to it (mapping). */
  skuSafetyStockPut: 'mapping.sku-safety-stock.put',
  /** Reads the shop's stock back from Rakuten now and repairs differences (ingestion). */
  driftCheck: 'ingestion.stock-drift.check',
  /** The shop's last drift check and its differences (ingestion). */
  lastDrift: 'ingestion.stock-drift.last',
} as const;

/** `PUT /shops/:id/stock-settings` and `PUT /skus/:id/safety-stock`. */
export class SafetyStockBody {
  /** Units held back from what Rakuten shows (0..99,999). */
  @IsCount(0, MAX_SAFETY_STOCK)
  safetyStock: number;
}

export class ShopStockSettingsGetCall extends ShopRefCall {}

export class ShopStockSettingsPutCall extends ShopRefCall {
  @ValidateNested()
  @Type(() => SafetyStockBody)
  body: SafetyStockBody;
}

export class SkuSafetyStockGetCall {
  @ValidateNested()
  @Type(() => CallActor)
  actor: CallActor;

  @IsUUID()
  skuId: string;
}

export class SkuSafetyStockPutCall extends SkuSafetyStockGetCall {
  @ValidateNested()
  @Type(() => SafetyStockBody)
  body: SafetyStockBody;
}

/** A shop's stock settings (defaults when never set: safetyStock 0, updatedAt null). */
export interface ShopStockSettingsView {
  shopId: string;
  safetyStock: number;
  updatedAt: string | null;
  /** On PUT: listings whose quantity moved and were published again. */
  republished?: number;
}

/** A SKU's safety stock (0 when never set). */
export interface SkuSafetyStockView {
  skuId: string;
  skuCode: string;
  safetyStock: number;
  updatedAt: string | null;
  /** On PUT: listings whose quantity moved and were published again. */
  republished?: number;
}

export class StockDriftCheckCall extends ShopRefCall {}

/** One listing whose Rakuten quantity differed from the platform's. */
export interface StockDriftView {
  manageNumber: string;
  variantId: string;
  /** What Rakuten showed; null when Rakuten had no stock row for it. */
  rakutenQuantity: number | null;
  /** What the platform had decided (and pushed again). */
  ourQuantity: number;
  foundAt: string;
  /** When the repair push succeeded; null while it is pending. */
  repairedAt: string | null;
}

/** A drift check of one shop: `scheduled` or `manual`. */
export interface StockDriftCheckView {
  id: string;
  shopId: string;
  trigger: 'scheduled' | 'manual';
  startedAt: string;
  finishedAt: string | null;
  /** Listings compared. */
  listings: number;
  /** Listings that differed. */
  differences: number;
  /** inventories.bulk.get calls made. */
  calls: number;
  /** Why the check stopped early (a Rakuten error), or null. */
  error: { code: string; message: string } | null;
}

export interface LastStockDriftView {
  check: StockDriftCheckView | null;
  drifts: StockDriftView[];
}
