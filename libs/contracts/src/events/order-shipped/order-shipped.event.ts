import { IsInt, Min } from 'class-validator';

import {
  IsCarrierCode,
  IsDateOnly,
  IsIsoDateTime,
  IsNonEmptyString,
  NestedArray,
} from '../../decorators';

/** Rakuten accepts at most 20 shipping records (ShippingModel) per package. */
export const MAX_PARCELS_PER_PACKAGE = 20;

/** One parcel handed to a carrier (one Rakuten ShippingModel). */
export class Parcel {
  /** Rakuten delivery company code, four digits, e.g. `'1001'` (never the carrier's name). */
  @IsCarrierCode()
  carrierCode: string;

  /** Carrier's tracking number (shippingNumber, at most 120 characters). */
  @IsNonEmptyString(120)
  trackingNumber: string;

  /** Day the parcel was handed over, `YYYY-MM-DD` in JST (Rakuten's shippingDate). */
  @IsDateOnly()
  shippingDate: string;
}

/**
 * `order.shipped` v1: a marketplace package left the warehouse. Producer: fulfillment.
 * Consumers: ingestion, which reports it to Rakuten. Key `<shopId>:<orderNumber>`.
 */
export class OrderShippedData {
  /** Marketplace order number. */
  @IsNonEmptyString(400)
  orderNumber: string;

  /** Rakuten 送付先ID of the shipped package. */
  @IsInt()
  @Min(1)
  basketId: number;

  /** Parcels of the package (1..20, Rakuten's per-package limit). */
  @NestedArray(() => Parcel, { min: 1, max: MAX_PARCELS_PER_PACKAGE })
  parcels: Parcel[];

  /** Platform fulfillment order id that shipped. */
  @IsNonEmptyString(200)
  fulfillmentOrderId: string;

  /** When the warehouse confirmed the shipment, ISO-8601 with offset. */
  @IsIsoDateTime()
  shippedAt: string;
}
