import { IsIn, IsInt, IsOptional, Min } from 'class-validator';

import { IsNonEmptyString } from '../../decorators';

/** Why a fulfillment order was canceled. */
export const SHIPMENT_CANCEL_REASONS = [
  'order_canceled',
  'order_changed',
  'out_of_stock',
  'operator_request',
  'other',
] as const;

/**
 * Why a shipment was canceled: the marketplace order was canceled or changed, stock ran out, an
 * operator canceled it, or something else (explained in `reason`).
 */
export type ShipmentCancelReason = (typeof SHIPMENT_CANCEL_REASONS)[number];

/**
 * `shipment.canceled` v1: a fulfillment order was withdrawn from the warehouse. Producer:
 * fulfillment. Key `<shopId>:<orderNumber>`.
 */
export class ShipmentCanceledData {
  /** Platform fulfillment order id. */
  @IsNonEmptyString(200)
  fulfillmentOrderId: string;

  /** Marketplace order number the fulfillment order belonged to. */
  @IsNonEmptyString(400)
  orderNumber: string;

  /** Rakuten 送付先ID of the package, when the fulfillment order covered one package. */
  @IsOptional()
  @IsInt()
  @Min(1)
  basketId?: number | null;

  /** Machine-readable reason. */
  @IsIn(SHIPMENT_CANCEL_REASONS)
  reasonCode: ShipmentCancelReason;

  /** Human-readable reason, for operators and the order timeline. */
  @IsNonEmptyString(2000)
  reason: string;
}
