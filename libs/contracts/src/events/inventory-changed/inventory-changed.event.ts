import { IsIn, IsInt } from 'class-validator';

import { IsCount, IsNonEmptyString } from '../../decorators';

/** What changed the stock. */
export const INVENTORY_CHANGE_REASONS = [
  'shipment',
  'adjustment',
  'reservation',
  'release',
  'cancellation',
] as const;

/**
 * Why stock changed: a shipment left, an operator adjusted the count, an order reserved units, a
 * reservation was released, or a canceled shipment returned units.
 */
export type InventoryChangeReason = (typeof INVENTORY_CHANGE_REASONS)[number];

/**
 * `inventory.changed` v1: a SKU's stock after a change. Tenant-scoped: the envelope's shopId is
 * null. Producer: fulfillment. Consumers: mapping. Key `<tenantId>:<skuCode>`.
 */
export class InventoryChangedData {
  /** Seller-defined platform SKU code. */
  @IsNonEmptyString(200)
  skuCode: string;

  /** Units physically in the warehouse (count ≥ 0). */
  @IsCount(0)
  onHand: number;

  /** Units reserved for fulfillment orders not yet shipped (count ≥ 0). */
  @IsCount(0)
  reserved: number;

  /** Units that can be sold: onHand − reserved (count; negative when oversold). */
  @IsInt()
  available: number;

  /** What caused this change. */
  @IsIn(INVENTORY_CHANGE_REASONS)
  reason: InventoryChangeReason;
}
