import { IsIn, IsInt, IsOptional, Min } from 'class-validator';

import {
  IsCarrierCode,
  IsCount,
  IsDateOnly,
  IsIsoDateTime,
  IsNonEmptyString,
  NestedArray,
  NestedObject,
} from '../../decorators';
import { MARKETPLACES, type Marketplace } from '../../models/marketplace.model';
import { Party } from '../../models/party.model';

/** Where a fulfillment order comes from on the marketplace: one package of one order. */
export class MarketplaceReference {
  /** Marketplace of the order. */
  @IsIn(MARKETPLACES)
  marketplace: Marketplace;

  /** Platform shop connection id (same as the envelope's shopId). */
  @IsNonEmptyString(200)
  shopId: string;

  /** Marketplace order number. */
  @IsNonEmptyString(400)
  orderNumber: string;

  /** Rakuten 送付先ID of the package this shipment fulfils. */
  @IsInt()
  @Min(1)
  basketId: number;
}

/** One SKU line to pick and pack. */
export class ShipmentLine {
  /** Seller-defined platform SKU code. */
  @IsNonEmptyString(200)
  skuCode: string;

  /** Units to ship (count ≥ 1). */
  @IsCount(1)
  quantity: number;
}

/**
 * `shipment.ready` v1: a fulfillment order (shipping instruction) ready for the warehouse.
 * Producer: fulfillment. Key `<shopId>:<orderNumber>`.
 */
export class ShipmentReadyData {
  /** Platform fulfillment order id. */
  @IsNonEmptyString(200)
  fulfillmentOrderId: string;

  /** The marketplace order and package this shipment fulfils. */
  @NestedObject(() => MarketplaceReference)
  shopRef: MarketplaceReference;

  /** Who receives the parcel; personal data. */
  @NestedObject(() => Party)
  recipient: Party;

  /** SKUs and units to ship (at least one line). */
  @NestedArray(() => ShipmentLine, { min: 1 })
  lines: ShipmentLine[];

  /** Carrier the buyer chose: Rakuten delivery company code, e.g. `'1001'`. */
  @IsOptional()
  @IsCarrierCode()
  requestedCarrierCode?: string | null;

  /** Delivery date the buyer asked for, `YYYY-MM-DD` JST. */
  @IsOptional()
  @IsDateOnly()
  requestedDeliveryDate?: string | null;

  /** Delivery time slot the buyer asked for, Rakuten shippingTerm code (see RequestedDelivery). */
  @IsOptional()
  @IsInt()
  @Min(0)
  requestedTimeSlot?: number | null;

  /** When the fulfillment order was created, ISO-8601 with offset. */
  @IsIsoDateTime()
  createdAt: string;
}
