import { IsIn, IsOptional } from 'class-validator';

import {
  IsCount,
  IsNonEmptyString,
  IsOrderRevision,
  NestedArray,
  NestedObject,
} from '../../decorators';
import { MARKETPLACES, type Marketplace } from '../../models/marketplace.model';
import { OrderBase, OrderLine, OrderPackageBase } from '../../models/order.model';

/** How a line was linked to platform SKUs, in the order the mapping service tries them. */
export const MATCHED_BY = [
  'merchant_defined_sku_id',
  'variant_id',
  'item_number',
  'option_code',
  'name_rule',
  'placeholder',
] as const;

/**
 * How a line was matched: by システム連携用SKU番号, by SKU管理番号, by 商品番号, by an option
 * code, by a seller's name-based rule, or `placeholder` when nothing matched and the line waits
 * in the unmapped queue under a placeholder SKU.
 */
export type MatchedBy = (typeof MATCHED_BY)[number];

/** One platform SKU a line resolves to. */
export class ResolvedSku {
  /** Seller-defined platform SKU code. */
  @IsNonEmptyString(200)
  skuCode: string;

  /** Units of this SKU to ship for the whole line: line units × component quantity (count ≥ 1). */
  @IsCount(1)
  quantity: number;
}

/** The result of mapping one order line. */
export class LineResolution {
  /** SKUs to ship for the line; a bundle resolves to several (at least one). */
  @NestedArray(() => ResolvedSku, { min: 1 })
  skus: ResolvedSku[];

  /** Which identifier or rule produced the match. */
  @IsIn(MATCHED_BY)
  matchedBy: MatchedBy;

  /** Id of the mapping rule used, when a seller-defined rule matched. */
  @IsOptional()
  @IsNonEmptyString(200)
  ruleId?: string | null;
}

/** An order line with its resolution to platform SKUs. */
export class MappedOrderLine extends OrderLine {
  /** The platform SKUs and quantities this line resolves to, and how. */
  @NestedObject(() => LineResolution)
  resolution: LineResolution;
}

/** A package whose lines are all resolved. */
export class MappedOrderPackage extends OrderPackageBase {
  /** The package's lines with their resolutions (at least one). */
  @NestedArray(() => MappedOrderLine, { min: 1 })
  lines: MappedOrderLine[];
}

/** The pulled order with every line resolved. */
export class MappedOrder extends OrderBase {
  /** The order's packages with resolved lines (at least one). */
  @NestedArray(() => MappedOrderPackage, { min: 1 })
  packages: MappedOrderPackage[];
}

/**
 * `order.mapped` v1: every line of a pulled order is linked to platform SKUs. Producer: mapping.
 * Consumers: fulfillment. Key `<shopId>:<orderNumber>`.
 */
export class OrderMappedData {
  /** Marketplace the order comes from. */
  @IsIn(MARKETPLACES)
  marketplace: Marketplace;

  /** The same order as in `order.pulled`, with a `resolution` on every line. */
  @NestedObject(() => MappedOrder)
  order: MappedOrder;

  /**
   * The revision of the `order.pulled` this mapping comes from: 1 (or absent) for an order's first
   * pull, 2, 3, … (at most 1,000) for an order pulled again after a change on Rakuten. A consumer
   * creates its work anew for a higher revision than it holds and ignores a lower one.
   */
  @IsOrderRevision()
  revision?: number;
}
