import { ApiProperty } from '@nestjs/swagger';
import { SHOP_STATUSES, type ShopStatus } from '@smartship/contracts';

/** Why a shop is listed as having a problem (`problems`). */
export const SHOP_PROBLEMS = [
  'needs_reauth',
  'license_expired',
  'license_expiring',
  'pull_failing',
  'unmapped_lines',
  'unpublishable_orders',
  'stock_push_failing',
] as const;

export type ShopProblem = (typeof SHOP_PROBLEMS)[number];

/** One shop's health for operators, gathered from credentials, ingestion and mapping. */
export class OperatorShopDoc {
  @ApiProperty({ format: 'uuid' })
  tenantId: string;

  @ApiProperty({ format: 'uuid', description: 'Shop connection id.' })
  shopId: string;

  @ApiProperty({ description: 'The Rakuten shop id (the name in the shop URL).' })
  shopName: string;

  @ApiProperty({ enum: SHOP_STATUSES })
  status: ShopStatus;

  @ApiProperty({ description: 'Whole days until the licence key expires (≤ 0: expired).' })
  licenceKeyDaysLeft: number;

  @ApiProperty()
  needsReauth: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'End of the last successful pull.' })
  lastSuccessfulPullAt: string | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Seconds since then.' })
  secondsSinceLastPull: number | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Start of the current streak of failed pulls (null when the last succeeded).',
  })
  pullFailingSince: string | null;

  @ApiProperty({ description: 'Order lines held in the unmapped queue.' })
  unmappedLines: number;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Since when the oldest held order waits.',
  })
  oldestUnmappedAt: string | null;

  @ApiProperty({ description: 'Orders pulled from Rakuten that cannot be published.' })
  unpublishableOrders: number;

  @ApiProperty({ description: 'Shipping reports not yet confirmed by Rakuten.' })
  pendingShippingReports: number;

  @ApiProperty({ description: 'Listings whose stock push to Rakuten is failing.' })
  failingStockListings: number;

  @ApiProperty({ description: 'RMS calls Rakuten throttled in the last 24 hours.' })
  throttledCalls24h: number;

  @ApiProperty({ enum: SHOP_PROBLEMS, isArray: true })
  problems: ShopProblem[];
}

export class OperatorShopListDoc {
  @ApiProperty({ type: [OperatorShopDoc] })
  items: OperatorShopDoc[];
}
