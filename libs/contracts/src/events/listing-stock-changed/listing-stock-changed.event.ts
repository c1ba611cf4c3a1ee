import { IsIn, IsInt, IsOptional } from 'class-validator';

import { IsCount, IsNonEmptyString, NestedArray } from '../../decorators';
import { MARKETPLACES, type Marketplace } from '../../models/marketplace.model';

/** One linked SKU and what it allows. */
export class ListingStockSource {
  /** Seller-defined platform SKU code. */
  @IsNonEmptyString(200)
  skuCode: string;

  /** The SKU's available units when the quantity was derived (count; may be negative). */
  @IsInt()
  available: number;

  /** Units of this SKU in one unit of the listing (count ≥ 1; > 1 in bundles). */
  @IsCount(1)
  perUnit: number;

  /** Units of this SKU held back (its safety stock) before dividing by perUnit; absent: 0. */
  @IsOptional()
  @IsCount(0)
  safetyStock?: number;
}

/**
 * `listing.stock.changed` v1: the stock a marketplace listing (one Rakuten SKU) should show.
 * Producer: mapping. Consumers: ingestion, which pushes it to the Inventory API.
 * Key `<shopId>:<manageNumber>:<variantId>`.
 */
export class ListingStockChangedData {
  /** Marketplace of the listing. */
  @IsIn(MARKETPLACES)
  marketplace: Marketplace;

  /** Rakuten 商品管理番号 of the item. */
  @IsNonEmptyString(255)
  manageNumber: string;

  /** Rakuten SKU管理番号 (variantId) of the SKU within the item. */
  @IsNonEmptyString(40)
  variantId: string;

  /**
   * Units the listing should show: min over sources of floor((available − SKU safety stock) /
   * perUnit), less the shop's safety stock, ≥ 0.
   */
  @IsCount(0)
  quantity: number;

  /** The shop's safety stock taken off the derived quantity; absent: 0. */
  @IsOptional()
  @IsCount(0)
  shopSafetyStock?: number;

  /** The linked SKUs the quantity was derived from (at least one). */
  @NestedArray(() => ListingStockSource, { min: 1 })
  derivedFrom: ListingStockSource[];
}
